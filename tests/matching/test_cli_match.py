"""The `portcullis match` commands through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from portcullis.cli.app import app
from portcullis.initialise import init_workspace

from .households import fill_master, filler

runner = CliRunner()


def test_index_train_explain(tmp_path: Path) -> None:
    workspace = init_workspace(tmp_path / "ws")
    rows = filler(120)
    with duckdb.connect(str(workspace.master_path)) as con:
        fill_master(con, rows)
    home = ["--home", str(workspace.home)]
    indexed = runner.invoke(app, ["match", "index", *home])
    assert indexed.exit_code == 0, indexed.output
    assert "120 taxpayers" in indexed.output
    trained = runner.invoke(app, ["match", "train", *home])
    assert trained.exit_code == 0, trained.output
    assert (workspace.match_dir / "model-v1.json").is_file()
    row = rows[7]
    explained = runner.invoke(
        app,
        [
            "match", "explain", *home, "--json",
            "--first-name", row.first_name, "--last-name", row.last_name,
            "--street", row.street, "--city", row.city, "--state", row.state, "--zip", row.zip,
            "--tax-years", "2022-2024", "--date-of-birth", str(row.date_of_birth),
        ],
    )  # fmt: skip
    assert explained.exit_code == 0, explained.output
    payload = json.loads(explained.output)
    assert payload["verdict"] == "match"
    assert payload["evidence"]["best"]["tin"] == row.tin


def test_index_without_workspace_fails_in_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["match", "index", "--home", str(tmp_path / "none")])
    assert result.exit_code != 0
    assert "no workspace" in result.output
