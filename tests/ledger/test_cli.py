"""The `portcullis ledger` commands, driven through Typer's runner on a hand-built workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portcullis.cli.ledger import app
from portcullis.keys import create_private_key, load_private_key
from portcullis.ledger.demo import create_demo_witnesses
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.standalone import verify_export
from portcullis.ledger.tables import ledger_entries
from portcullis.store.database import create_schema, open_engine
from portcullis.workspace import open_workspace

runner = CliRunner()


@pytest.fixture
def home(tmp_path: Path, state_url: str) -> Path:
    """A workspace with a ledger of 7 entries and the two demo witnesses."""
    folder = tmp_path / "home"
    folder.mkdir()
    (folder / "portcullis.toml").write_text(f'state_url = "{state_url}"\n')
    workspace = open_workspace(folder)
    create_private_key(workspace.ledger_key_path)
    workspace.tin_hash_key_path.write_bytes(b"k" * 32)
    engine = open_engine(workspace.state_url)
    create_schema(engine)
    create_demo_witnesses(engine, workspace)
    ledger = Ledger(engine, load_private_key(workspace.ledger_key_path), workspace.ledger_origin)
    ledger.append_many([(f"k{i}", {"n": i}) for i in range(7)])
    engine.dispose()
    return folder


def test_checkpoint_signs_and_gathers_cosignatures(home: Path) -> None:
    result = runner.invoke(app, ["checkpoint", "--home", str(home)])
    assert result.exit_code == 0, result.output
    assert "checkpoint at size 7" in result.output
    assert "jct, tigta" in result.output


def test_verify_passes_then_names_a_tampered_entry(home: Path) -> None:
    runner.invoke(app, ["checkpoint", "--home", str(home)])
    result = runner.invoke(app, ["verify", "--home", str(home)])
    assert result.exit_code == 0 and "ledger verified: 7 entries" in result.output
    engine = open_engine(open_workspace(home).state_url)
    with engine.begin() as conn:
        conn.execute(ledger_entries.update().where(ledger_entries.c.idx == 5).values(body=b"{}"))
    engine.dispose()
    result = runner.invoke(app, ["verify", "--home", str(home)])
    assert result.exit_code == 1
    assert "entry 5" in result.output


def test_proof_prints_a_receipt_or_a_bare_proof(home: Path) -> None:
    runner.invoke(app, ["checkpoint", "--home", str(home)])
    receipt = json.loads(runner.invoke(app, ["proof", "3", "--home", str(home)]).stdout)
    assert (receipt["leaf_index"], receipt["tree_size"]) == (3, 7)
    bare = json.loads(runner.invoke(app, ["proof", "3", "--size", "4", "--home", str(home)]).stdout)
    assert bare["tree_size"] == 4 and len(bare["inclusion_proof"]) == 2


def test_proof_before_any_checkpoint_fails_in_one_line(home: Path) -> None:
    result = runner.invoke(app, ["proof", "3", "--home", str(home)])
    assert result.exit_code == 1
    assert "not yet under a signed checkpoint" in result.output


def test_export_feeds_the_standalone_verifier(home: Path, tmp_path: Path) -> None:
    runner.invoke(app, ["checkpoint", "--home", str(home)])
    out = tmp_path / "audit"
    result = runner.invoke(app, ["export", "--out", str(out), "--home", str(home)])
    assert result.exit_code == 0, result.output
    assert verify_export(out, quorum=2).entries == 7


def test_a_missing_workspace_fails_in_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["verify", "--home", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "no workspace" in result.output


def test_publish_writes_the_checkpoint_and_its_tiles(home: Path, tmp_path: Path) -> None:
    runner.invoke(app, ["checkpoint", "--home", str(home)])
    out = tmp_path / "log"
    result = runner.invoke(app, ["publish", str(out), "--home", str(home)])
    assert result.exit_code == 0, result.output
    assert "published the checkpoint at size 7" in result.output
    assert (out / "checkpoint").read_text().startswith(open_workspace(home).ledger_origin + "\n7\n")
    assert len((out / "tile/0/000.p/7").read_bytes()) == 7 * 32
    assert (out / "tile/entries/000.p/7").is_file()
