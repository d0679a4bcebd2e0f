from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portcullis.contract.manifest import (
    ManifestMalformed,
    ManifestUnreadable,
    build_manifest,
    canonical_bytes,
    read_signed_manifest,
    sign_manifest,
    signature_valid,
    write_signed_manifest,
)

FILE = b"item_id,first_name,last_name\nA-1,Maria,Garcia\n"
KEY = Ed25519PrivateKey.generate()


def manifest(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "request_id": "R-1",
        "program_id": "ice-address-verification",
        "requesting_agency": "U.S. Immigration and Customs Enforcement",
        "signer_name": "Demo Signer",
        "signer_title": "Director",
        "key_id": "demo-signer",
        "certification": "Used solely for the criminal matters named in each item.",
        "item_count": 1,
        "created_at": datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
    }
    fields.update(changes)
    return build_manifest(FILE, **fields)


def test_build_records_the_file_hash_and_utc_time() -> None:
    built = manifest(created_at=datetime(2026, 3, 1, 7, 0, tzinfo=timezone(timedelta(hours=-5))))
    assert built["file_sha256"] == hashlib.sha256(FILE).hexdigest()
    assert built["created_at"] == "2026-03-01T12:00:00Z"
    assert built["signer"] == {"name": "Demo Signer", "title": "Director", "key_id": "demo-signer"}


def test_canonical_bytes_ignore_key_order() -> None:
    built = manifest()
    assert canonical_bytes(dict(reversed(list(built.items())))) == canonical_bytes(built)


def test_a_signature_verifies_under_its_key_only() -> None:
    signed = sign_manifest(manifest(), KEY)
    assert signature_valid(signed, KEY.public_key())
    assert not signature_valid(signed, Ed25519PrivateKey.generate().public_key())


@pytest.mark.parametrize(
    ("key", "value"),
    [
        pytest.param("item_count", 2, id="count"),
        pytest.param("request_id", "R-2", id="request-id"),
        pytest.param("file_sha256", "0" * 64, id="file-hash"),
    ],
)
def test_any_change_breaks_the_signature(key: str, value: object) -> None:
    signed = sign_manifest(manifest(), KEY)
    signed["manifest"][key] = value
    assert not signature_valid(signed, KEY.public_key())


def test_a_round_trip_through_a_file_keeps_the_signature(tmp_path: Path) -> None:
    path = tmp_path / "request.manifest.json"
    write_signed_manifest(path, sign_manifest(manifest(), KEY))
    assert signature_valid(read_signed_manifest(path), KEY.public_key())


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"request_id": " "}, id="blank-request-id"),
        pytest.param({"item_count": 0}, id="zero-items"),
        pytest.param({"created_at": datetime(2026, 3, 1, 12, 0)}, id="naive-time"),
    ],
)
def test_build_refuses_a_malformed_manifest(changes: dict[str, Any]) -> None:
    with pytest.raises(ManifestMalformed):
        manifest(**changes)


@pytest.mark.parametrize(
    ("document", "names"),
    [
        pytest.param("[]", "manifest", id="not-an-object"),
        pytest.param('{"manifest": {}, "signature": {"algorithm": "ed25519", "value": ""}}',
                     "manifest_version", id="empty-manifest"),
        pytest.param('{"manifest": {}, "signature": "abc"}', "signature", id="bare-signature"),
    ],
)  # fmt: skip
def test_read_names_what_is_wrong(tmp_path: Path, document: str, names: str) -> None:
    path = tmp_path / "m.json"
    path.write_text(document)
    with pytest.raises(ManifestMalformed, match=names):
        read_signed_manifest(path)


def test_read_refuses_a_missing_field(tmp_path: Path) -> None:
    signed = sign_manifest(manifest(), KEY)
    del signed["manifest"]["certification"]
    path = tmp_path / "m.json"
    path.write_text(json.dumps(signed))
    with pytest.raises(ManifestMalformed, match="certification"):
        read_signed_manifest(path)


@pytest.mark.parametrize(
    "content", [pytest.param(b"{not json", id="not-json"), pytest.param(b"\xff\xfe", id="not-utf8")]
)
def test_read_refuses_what_is_not_json(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "m.json"
    path.write_bytes(content)
    with pytest.raises(ManifestUnreadable):
        read_signed_manifest(path)


def test_read_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ManifestUnreadable, match="cannot read"):
        read_signed_manifest(tmp_path / "absent.json")
