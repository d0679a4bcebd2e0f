"""The standalone verifier: accepts a faithful export, rejects any tampering, runs alone."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portcullis.ledger import standalone
from portcullis.ledger.compact import CompactRange
from portcullis.ledger.export import export_ledger
from portcullis.ledger.hashing import leaf_hash
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.standalone import ExportRejected, Tree, verify_export

from .conftest import Filler, WitnessFactory


@pytest.fixture
def exported(ledger: Ledger, fill: Filler, make_witness: WitnessFactory, tmp_path: Path) -> Path:
    """An export of 11 entries: checkpoints at 6 and 10, the latest cosigned by two witnesses."""
    witnesses = [make_witness("tigta"), make_witness("jct")]
    fill(6)
    ledger.request_cosignatures(witnesses)
    fill(4, "e")
    ledger.checkpoint()
    ledger.request_cosignatures(witnesses)
    ledger.append({"after": "checkpoint"}, decision_key="uncovered")
    out = tmp_path / "export"
    export_ledger(ledger.engine, out)
    return out


@settings(max_examples=30, deadline=None)
@given(st.lists(st.binary(max_size=40), max_size=70))
def test_the_independent_tree_agrees_with_the_ledger_tree(lines: list[bytes]) -> None:
    ours, theirs = CompactRange(), Tree()
    for line in lines:
        ours.append(leaf_hash(line))
        theirs.append(standalone.leaf_hash(line))
    assert theirs.root() == ours.root()


def test_standalone_accepts_a_faithful_export(exported: Path) -> None:
    verdict = verify_export(exported, quorum=2)
    assert (verdict.entries, verdict.checkpoints, verdict.latest_size) == (11, 2, 10)
    assert verdict.latest_cosigners == ("jct", "tigta")


def _rewrite_entry(folder: Path) -> None:
    path = folder / "entries.jsonl"
    lines = path.read_bytes().split(b"\n")
    lines[7] = b'{"outcome":"disclosed"}'
    path.write_bytes(b"\n".join(lines))


def _drop_entry(folder: Path) -> None:
    path = folder / "entries.jsonl"
    lines = path.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join(lines[:2] + lines[3:]))


def _swap_entries(folder: Path) -> None:
    path = folder / "entries.jsonl"
    lines = path.read_bytes().split(b"\n")
    lines[1], lines[2] = lines[2], lines[1]
    path.write_bytes(b"\n".join(lines))


def _forge_checkpoint(folder: Path) -> None:
    path = folder / "checkpoints.jsonl"
    path.write_text(path.read_text().replace("\\n10\\n", "\\n11\\n"))


@pytest.mark.parametrize(
    ("tamper", "words"),
    [
        pytest.param(_rewrite_entry, "entries 6..9", id="edited-entry"),
        pytest.param(_drop_entry, "entries 0..5", id="deleted-entry"),
        pytest.param(_swap_entries, "entries 0..5", id="reordered"),
        pytest.param(_forge_checkpoint, "no valid signature", id="forged-checkpoint"),
    ],
)
def test_standalone_rejects_a_tampered_export(exported: Path, tamper: object, words: str) -> None:
    tamper(exported)  # type: ignore[operator]
    with pytest.raises(ExportRejected, match=words):
        verify_export(exported)


def test_standalone_enforces_pinned_keys_and_quorum(exported: Path) -> None:
    with pytest.raises(ExportRejected, match="3 needed"):
        verify_export(exported, quorum=3)
    keys = json.loads((exported / "keys.json").read_text())
    other = keys["witnesses"][0]["public_key"]
    with pytest.raises(ExportRejected, match="cosigners"):
        verify_export(exported, witness_keys={"tigta": other, "jct": other}, quorum=2)


def test_standalone_runs_alone_as_a_script(exported: Path, tmp_path: Path) -> None:
    # Copied out of the package and run in isolated mode: it must need nothing from portcullis.
    script = tmp_path / "alone" / "verify_ledger.py"
    script.parent.mkdir()
    shutil.copy(standalone.__file__, script)
    run = subprocess.run(
        [sys.executable, "-I", str(script), str(exported), "--quorum", "2"],
        capture_output=True,
        text=True,
        check=False,
        cwd=script.parent,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("OK: 11 entries, 2 checkpoints")
    _rewrite_entry(exported)
    run = subprocess.run(
        [sys.executable, "-I", str(script), str(exported)],
        capture_output=True,
        text=True,
        check=False,
        cwd=script.parent,
    )
    assert run.returncode == 1 and run.stdout.startswith("REJECTED: entries 6..9")


def test_standalone_imports_nothing_from_portcullis() -> None:
    source = Path(standalone.__file__).read_text()
    assert "portcullis" not in "".join(
        line for line in source.splitlines() if line.startswith(("import ", "from "))
    )
