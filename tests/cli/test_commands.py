"""The command line through its runner: contract commands exist, work in order, fail in one line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portcullis.cli.app import app
from portcullis.contract.columns import MASTER_COLUMNS
from tests.conftest import MASTER_ROWS

runner = CliRunner()

CONTRACT_COMMANDS = [
    ["init"],
    ["master", "load"],
    ["requests", "submit"],
    ["requests", "process"],
    ["accounting", "export"],
    ["ledger", "verify"],
    ["serve"],
    ["demo"],
]


@pytest.mark.parametrize("command", [pytest.param(c, id=" ".join(c)) for c in CONTRACT_COMMANDS])
def test_contract_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_command_on_missing_workspace_fails_in_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["requests", "process", "--home", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "portcullis init" in result.output


def test_init_twice_is_refused(tmp_path: Path) -> None:
    home = str(tmp_path / "ws")
    assert runner.invoke(app, ["init", "--home", home]).exit_code == 0
    again = runner.invoke(app, ["init", "--home", home])
    assert again.exit_code == 1 and "already exists" in again.output


def test_the_contract_flow_end_to_end(
    tmp_path: Path, request_file: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "ws"
    monkeypatch.setenv("PORTCULLIS_HOME", str(home))
    assert runner.invoke(app, ["init"]).exit_code == 0
    master = tmp_path / "master.csv"
    header = ",".join(MASTER_COLUMNS)
    master.write_text("\n".join([header, *(",".join(r) for r in MASTER_ROWS)]) + "\n")
    loaded = runner.invoke(app, ["master", "load", str(master)])
    assert loaded.exit_code == 0, loaded.output
    assert "8" in loaded.output  # rows loaded
    key = home / "keys" / "demo-signer.key"
    request = request_file({}, {}, {}, {}, {}, {"street": "UNKNOWN"})
    submitted = runner.invoke(
        app,
        [
            "requests",
            "submit",
            str(request),
            "--program",
            "ice-address-verification",
            "--signer-key",
            str(key),
        ],
    )
    assert submitted.exit_code == 0, submitted.output
    processed = runner.invoke(app, ["requests", "process"])
    assert processed.exit_code == 0, processed.output
    assert "disclosed" in processed.output and "refused" in processed.output
    assert "Review floor 0.5: 0 held items closed as no_match" in processed.output
    out = tmp_path / "accounting.csv"
    exported = runner.invoke(app, ["accounting", "export", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    lines = out.read_text().splitlines()
    assert lines[0].startswith("request_id,item_id,outcome,reason_codes,tin")
    assert len(lines) == 7
    verified = runner.invoke(app, ["ledger", "verify"])
    assert verified.exit_code == 0, verified.output


def test_submit_with_a_key_that_is_not_a_signer_is_refused(
    tmp_path: Path, request_file: Callable[..., Path]
) -> None:
    from portcullis.keys import create_private_key

    home = tmp_path / "ws"
    assert runner.invoke(app, ["init", "--home", str(home)]).exit_code == 0
    stranger = tmp_path / "stranger.key"
    create_private_key(stranger)
    result = runner.invoke(
        app,
        [
            "requests",
            "submit",
            str(request_file({})),
            "--program",
            "ice-address-verification",
            "--signer-key",
            str(stranger),
            "--home",
            str(home),
        ],
    )
    assert result.exit_code == 1
    assert "not a registered signer" in result.output
