"""`portcullis serve` serves the ledger as tlog-tiles, the same bytes `ledger publish` writes."""

from __future__ import annotations

import base64
from pathlib import Path

from portcullis.api.routes.tlog import PREFIX
from portcullis.ledger.opening import open_ledger
from portcullis.ledger.publish import publish_ledger
from portcullis.workspace import Workspace
from tests.api.conftest import Headers, SignRequest, TestClient, upload
from tests.ledger import tiles_client


def test_a_tlog_client_follows_the_served_log(
    client: TestClient,
    headers: Headers,
    signed_module: SignRequest,
    api_workspace: Workspace,
    tmp_path: Path,
) -> None:
    path, manifest = signed_module({})
    client.post("/v1/requests", headers=headers("requester"), **upload(path, manifest))
    witness = headers("witness")
    keys = client.get("/v1/ledger/checkpoint", headers=witness).json()
    response = client.get(f"{PREFIX}/checkpoint", headers=witness)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["cache-control"] == "max-age=5"

    def fetch(tile: str) -> bytes:
        answer = client.get(f"{PREFIX}/{tile}", headers=witness)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/octet-stream"
        return answer.content

    witnesses = {name: base64.b64decode(k) for name, k in keys["witness_keys"].items()}
    checkpoint = tiles_client.open_checkpoint(
        response.text, keys["origin"], base64.b64decode(keys["ledger_public_key"]), witnesses
    )
    assert checkpoint.cosigned_by
    tree = tiles_client.TiledTree(fetch, checkpoint.size)
    assert tree.root() == checkpoint.root
    entries = tree.entries()
    last = checkpoint.size - 1
    leaf = tiles_client.hash_leaf(entries[last])
    proof = tree.inclusion_proof(last)
    tiles_client.verify_inclusion(last, checkpoint.size, leaf, proof, checkpoint.root)

    # The static publication holds the same bytes.
    with open_ledger(api_workspace) as ledger:
        published = publish_ledger(ledger.engine, ledger.origin, tmp_path)
    assert published.size == checkpoint.size
    tile = tiles_client.tile_path("entries", 0, min(256, checkpoint.size))
    assert (tmp_path / tile).read_bytes() == fetch(tile)
    assert (tmp_path / "checkpoint").read_text() == response.text


def test_tiles_beyond_the_signed_tree_or_misspelt_are_not_found(
    client: TestClient, headers: Headers
) -> None:
    witness = headers("witness")
    for tile in ("tile/0/x999/000", "tile/0/0", "tile/entries/000.p/0", "tile/64/000"):
        response = client.get(f"{PREFIX}/{tile}", headers=witness)
        assert response.status_code == 404
        assert response.json()["code"] == "no_such_tile"
