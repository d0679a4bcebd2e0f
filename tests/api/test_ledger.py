"""Ledger endpoints: the checkpoint and its keys, proofs that verify, the export archive."""

from __future__ import annotations

import base64
import io
import zipfile

import pytest

from portcullis.ledger.hashing import canonical_entry, leaf_hash
from portcullis.ledger.proofs import verify_consistency, verify_inclusion
from tests.api.conftest import Headers, SignRequest, TestClient, upload


@pytest.fixture(scope="module")
def checkpoint(client: TestClient, headers: Headers, signed_module: SignRequest) -> dict[str, str]:
    """The checkpoint after one disclosed request."""
    path, manifest = signed_module({})
    client.post("/v1/requests", headers=headers("requester"), **upload(path, manifest))
    response = client.get("/v1/ledger/checkpoint", headers=headers("witness"))
    assert response.status_code == 200
    body: dict[str, str] = response.json()
    return body


def hashes(response_json: dict[str, list[str]]) -> list[bytes]:
    return [base64.b64decode(h) for h in response_json["hashes"]]


def test_inclusion_and_consistency_proofs_verify_against_the_checkpoint(
    client: TestClient, headers: Headers, checkpoint: dict[str, str]
) -> None:
    auditor, size = headers("auditor"), int(checkpoint["size"])
    root = base64.b64decode(checkpoint["root"])
    last = client.get(f"/v1/ledger/entries/{size - 1}", headers=auditor).json()
    proof = client.get(f"/v1/ledger/proofs/inclusion?index={size - 1}&size={size}", headers=auditor)
    verify_inclusion(size - 1, size, leaf_hash(canonical_entry(last)), hashes(proof.json()), root)
    # The tree of one entry has that entry's leaf hash as its root.
    first = client.get("/v1/ledger/entries/0", headers=auditor).json()
    grown = client.get(f"/v1/ledger/proofs/consistency?first=1&second={size}", headers=auditor)
    verify_consistency(1, size, leaf_hash(canonical_entry(first)), root, hashes(grown.json()))


@pytest.mark.parametrize(
    ("query", "code"),
    [
        pytest.param("index=5&size=5", "index_beyond_size", id="index-at-size"),
        pytest.param("index=0&size=999999", "index_out_of_range", id="size-beyond-ledger"),
    ],
)
def test_impossible_proofs_are_refused(
    client: TestClient, headers: Headers, checkpoint: dict[str, str], query: str, code: str
) -> None:
    response = client.get(f"/v1/ledger/proofs/inclusion?{query}", headers=headers("auditor"))
    assert response.json()["code"] == code


def test_the_export_is_a_zip_an_auditor_can_verify_offline(
    client: TestClient, headers: Headers, checkpoint: dict[str, str]
) -> None:
    response = client.get("/v1/ledger/export", headers=headers("auditor"))
    assert response.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert {"entries.jsonl", "checkpoints.jsonl", "keys.json"} <= set(names)
