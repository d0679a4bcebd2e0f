"""The signed request manifest (docs/manifest.md): build it, sign it, read it back, verify it."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from portcullis.errors import PortcullisError

MANIFEST_VERSION = 1
SIGNATURE_ALGORITHM = "ed25519"
_TEXT_FIELDS = ("request_id", "program", "requesting_agency", "certification", "created_at")
_SIGNER_FIELDS = ("name", "title", "key_id")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ManifestUnreadable(PortcullisError):
    """A signed manifest file is missing, not UTF-8, or not JSON."""


class ManifestMalformed(PortcullisError):
    """A signed manifest lacks a required field or has one of the wrong type."""


def file_sha256(file_bytes: bytes) -> str:
    """Return the lower-case hex SHA-256 of a request file's bytes."""
    return hashlib.sha256(file_bytes).hexdigest()


def build_manifest(
    file_bytes: bytes,
    *,
    request_id: str,
    program_id: str,
    requesting_agency: str,
    signer_name: str,
    signer_title: str,
    key_id: str,
    certification: str,
    item_count: int,
    created_at: datetime,
) -> dict[str, Any]:
    """Return the unsigned manifest describing one request file."""
    if created_at.tzinfo is None:
        raise ManifestMalformed("created_at must carry a time zone")
    manifest: dict[str, Any] = {
        "manifest_version": MANIFEST_VERSION,
        "request_id": request_id,
        "program": program_id,
        "requesting_agency": requesting_agency,
        "signer": {"name": signer_name, "title": signer_title, "key_id": key_id},
        "certification": certification,
        "item_count": item_count,
        "file_sha256": file_sha256(file_bytes),
        "created_at": created_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
    }
    check_manifest(manifest)
    return manifest


def canonical_bytes(manifest: dict[str, Any]) -> bytes:
    """Return the RFC 8785 canonical JSON of a manifest: the exact bytes that are signed."""
    try:
        return bytes(rfc8785.dumps(manifest))
    except rfc8785.CanonicalizationError as exc:
        raise ManifestMalformed(f"manifest cannot be canonicalised: {exc}") from exc


def sign_manifest(manifest: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """Return the signed manifest document: the manifest and an Ed25519 signature over it."""
    check_manifest(manifest)
    signature = key.sign(canonical_bytes(manifest))
    return {
        "manifest": manifest,
        "signature": {
            "algorithm": SIGNATURE_ALGORITHM,
            "value": base64.b64encode(signature).decode("ascii"),
        },
    }


def signature_valid(signed: dict[str, Any], public_key: Ed25519PublicKey) -> bool:
    """Tell whether the signed manifest's signature verifies under `public_key`."""
    check_signed_manifest(signed)
    try:
        raw = base64.b64decode(signed["signature"]["value"], validate=True)
        public_key.verify(raw, canonical_bytes(signed["manifest"]))
    except (ValueError, InvalidSignature):
        return False
    return True


def read_signed_manifest(path: Path) -> dict[str, Any]:
    """Read a signed manifest file and check its shape (not its signature)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ManifestUnreadable(f"cannot read manifest {path}: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestUnreadable(f"manifest {path} is not UTF-8 JSON: {exc}") from exc
    check_signed_manifest(document)
    return dict(document)


def write_signed_manifest(path: Path, signed: dict[str, Any]) -> None:
    """Write a signed manifest as indented UTF-8 JSON (the signature covers content, not layout)."""
    check_signed_manifest(signed)
    path.write_text(json.dumps(signed, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def check_signed_manifest(document: object) -> None:
    """Raise ManifestMalformed unless `document` has the signed manifest's shape."""
    if not isinstance(document, dict) or set(document) != {"manifest", "signature"}:
        raise ManifestMalformed("a signed manifest is an object with 'manifest' and 'signature'")
    signature = document["signature"]
    if (
        not isinstance(signature, dict)
        or signature.get("algorithm") != SIGNATURE_ALGORITHM
        or not isinstance(signature.get("value"), str)
    ):
        raise ManifestMalformed("signature must be {'algorithm': 'ed25519', 'value': base64}")
    check_manifest(document["manifest"])


def check_manifest(manifest: object) -> None:
    """Raise ManifestMalformed naming the first missing or mistyped manifest field."""
    if not isinstance(manifest, dict):
        raise ManifestMalformed("manifest must be a JSON object")
    if manifest.get("manifest_version") != MANIFEST_VERSION:
        raise ManifestMalformed(f"manifest_version must be {MANIFEST_VERSION}")
    for name in _TEXT_FIELDS:
        _require_text(manifest.get(name), name)
    signer = manifest.get("signer")
    if not isinstance(signer, dict):
        raise ManifestMalformed("manifest field signer must be an object")
    for name in _SIGNER_FIELDS:
        _require_text(signer.get(name), f"signer.{name}")
    count = manifest.get("item_count")
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ManifestMalformed("manifest field item_count must be a positive integer")
    if not isinstance(manifest.get("file_sha256"), str) or not _SHA256.match(
        manifest["file_sha256"]
    ):
        raise ManifestMalformed("manifest field file_sha256 must be 64 lower-case hex digits")
    manifest_time(manifest)


def manifest_time(manifest: dict[str, Any]) -> datetime:
    """Return the manifest's created_at as an aware UTC datetime."""
    try:
        moment = datetime.fromisoformat(str(manifest.get("created_at")))
    except ValueError as exc:
        raise ManifestMalformed("manifest field created_at must be an ISO 8601 time") from exc
    if moment.tzinfo is None:
        raise ManifestMalformed("manifest field created_at must carry a time zone")
    return moment.astimezone(UTC)


def _require_text(value: object, name: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ManifestMalformed(f"manifest field {name} must be non-empty text")
