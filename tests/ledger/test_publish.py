"""`ledger publish`: static tlog-tiles read back by a client written from the specs alone."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from portcullis.keys import public_key_b64
from portcullis.ledger.errors import EntryNotCheckpointed
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.publish import publish_ledger

from . import tiles_client as client
from .conftest import ORIGIN, Filler, WitnessFactory
from .test_proofs import _cases, _load


def _raw(key_b64: str) -> bytes:
    return base64.b64decode(key_b64)


def _reader(folder: Path) -> client.Fetch:
    return lambda path: (folder / path).read_bytes()


def _open(folder: Path, ledger: Ledger, witnesses: dict[str, bytes]) -> client.SignedCheckpoint:
    text = (folder / "checkpoint").read_text(encoding="utf-8")
    return client.open_checkpoint(text, ORIGIN, _raw(public_key_b64(ledger.public_key)), witnesses)


def test_a_monitor_follows_the_published_log(
    ledger: Ledger, fill: Filler, make_witness: WitnessFactory, tmp_path: Path
) -> None:
    tigta = make_witness("tigta")
    keys = {"tigta": _raw(public_key_b64(tigta.public_key))}
    out = tmp_path / "log"
    fill(300)
    ledger.checkpoint()
    ledger.request_cosignatures([tigta])
    first = publish_ledger(ledger.engine, ORIGIN, out)
    seen = _open(out, ledger, keys)
    assert (seen.size, seen.cosigned_by, first.size) == (300, {"tigta"}, 300)
    assert client.TiledTree(_reader(out), seen.size).root() == seen.root

    fill(7, "small")  # a checkpoint inside the same partial tile: its partial stays served
    ledger.checkpoint()
    fill(100, "more")
    ledger.checkpoint()
    ledger.request_cosignatures([tigta])
    second = publish_ledger(ledger.engine, ORIGIN, out)
    assert second.kept == 2  # the full tile and bundle of the first publication stay as they are
    latest = _open(out, ledger, keys)
    assert latest.size == 407 and latest.cosigned_by == {"tigta"}
    tree = client.TiledTree(_reader(out), latest.size)
    assert tree.root() == latest.root
    client.verify_consistency(
        seen.size, latest.size, seen.root, latest.root, tree.consistency_proof(seen.size)
    )
    for width in (44, 51, 151):  # the partial tiles of sizes 300, 307 and 407
        assert (out / f"tile/0/001.p/{width}").is_file()

    entries = tree.entries()
    assert len(entries) == 407
    assert json.loads(entries[300]) == {"decision": "small0", "outcome": "refused",
                                        "reasons": ["no_statute"]}  # fmt: skip
    for index in (0, 255, 256, 306, 406):
        leaf = client.hash_leaf(entries[index])
        client.verify_inclusion(index, 407, leaf, tree.inclusion_proof(index), latest.root)
        assert tree.inclusion_proof(index) == ledger.inclusion_proof(index, 407)


def test_a_tampered_tile_is_caught_by_the_client(
    ledger: Ledger, fill: Filler, tmp_path: Path
) -> None:
    fill(20)
    ledger.checkpoint()
    publish_ledger(ledger.engine, ORIGIN, tmp_path)
    bundle = tmp_path / "tile/entries/000.p/20"
    bundle.write_bytes(bundle.read_bytes().replace(b"refused", b"disclos", 1))
    tree = client.TiledTree(_reader(tmp_path), 20)
    with pytest.raises(client.ClientRejects, match="does not hash"):
        tree.entries()


def test_nothing_is_published_before_a_checkpoint(
    ledger: Ledger, fill: Filler, tmp_path: Path
) -> None:
    fill(3)
    with pytest.raises(EntryNotCheckpointed):
        publish_ledger(ledger.engine, ORIGIN, tmp_path)
    assert not (tmp_path / "checkpoint").exists()


def _decode(items: list[str] | None) -> list[bytes]:
    return [base64.b64decode(item) for item in items or []]


def _verdict(check: Callable[[], None]) -> bool:
    try:
        check()
    except client.ClientRejects:
        return False
    return True


@pytest.mark.parametrize("path", _cases("inclusion"))
def test_the_client_passes_the_inclusion_vectors(path: Path | None) -> None:
    case = _load(path)
    leaf, root = base64.b64decode(case["leafHash"]), base64.b64decode(case["root"])
    proof = _decode(case["proof"])
    verified = _verdict(
        lambda: client.verify_inclusion(case["leafIdx"], case["treeSize"], leaf, proof, root)
    )
    assert verified is not case["wantErr"]


@pytest.mark.parametrize("path", _cases("consistency"))
def test_the_client_passes_the_consistency_vectors(path: Path | None) -> None:
    case = _load(path)
    root1, root2 = base64.b64decode(case["root1"]), base64.b64decode(case["root2"])
    proof = _decode(case["proof"])
    verified = _verdict(
        lambda: client.verify_consistency(case["size1"], case["size2"], root1, root2, proof)
    )
    assert verified is not case["wantErr"]
