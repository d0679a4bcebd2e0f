"""Exports: canonical entry lines, signed checkpoints and public keys, byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portcullis.keys import public_key_b64
from portcullis.ledger.export import export_ledger
from portcullis.ledger.hashing import canonical_entry
from portcullis.ledger.ledger import Ledger

from .conftest import Filler, WitnessFactory


@pytest.fixture
def exported(ledger: Ledger, fill: Filler, make_witness: WitnessFactory, tmp_path: Path) -> Path:
    """An export of 10 entries under two checkpoints, the latest cosigned by both witnesses."""
    witnesses = [make_witness("tigta"), make_witness("jct")]
    fill(6)
    ledger.request_cosignatures(witnesses)
    fill(4, "e")
    ledger.checkpoint()
    ledger.request_cosignatures(witnesses)
    ledger.append({"after": "checkpoint"}, decision_key="uncovered")
    out = tmp_path / "export"
    summary = export_ledger(ledger.engine, out)
    assert (summary.entries, summary.checkpoints) == (11, 2)
    return out


def test_entry_lines_are_the_canonical_bytes(ledger: Ledger, exported: Path) -> None:
    lines = (exported / "entries.jsonl").read_bytes().split(b"\n")
    assert lines[-1] == b""
    assert lines[3] == canonical_entry(ledger.entry(3))
    keys = json.loads((exported / "keys.json").read_text())
    assert keys["log_key"]["public_key"] == public_key_b64(ledger.public_key)
    assert [w["name"] for w in keys["witnesses"]] == ["jct", "tigta"]


def test_checkpoint_lines_hold_the_full_signed_notes(ledger: Ledger, exported: Path) -> None:
    notes = [
        json.loads(line)["note"]
        for line in (exported / "checkpoints.jsonl").read_text().splitlines()
    ]
    assert [note.split("\n")[1] for note in notes] == ["6", "10"]
    assert notes[-1] == ledger.latest_checkpoint().note  # type: ignore[union-attr]


def test_an_empty_ledger_exports_empty_files(ledger: Ledger, tmp_path: Path) -> None:
    summary = export_ledger(ledger.engine, tmp_path / "empty")
    assert (summary.entries, summary.checkpoints) == (0, 0)
    assert (tmp_path / "empty" / "entries.jsonl").read_bytes() == b""
