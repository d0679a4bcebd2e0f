"""The `portcullis programs` commands, through the CLI runner on a hand-built workspace.

The group's own Typer app is run, so these tests do not depend on every other command group."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portcullis.cli.programs import app

PACKAGED = resources.files("portcullis.programs").joinpath("ice-address-verification.toml")
ID = "ice-address-verification"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    (home / "portcullis.toml").write_text(f'state_url = "sqlite:///{home / "state.sqlite"}"\n')
    return home


def run(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*args, "--home", str(home)], env={"COLUMNS": "200"})
    return result.exit_code, result.output


@pytest.fixture
def loaded(home: Path, tmp_path: Path) -> Path:
    path = tmp_path / "program.toml"
    path.write_text(PACKAGED.read_text())
    code, output = run(home, "load", str(path), "--actor", "ops", "--why", "initial agreement")
    assert code == 0, output
    return home


def test_load_then_list_and_show(loaded: Path) -> None:
    code, listing = run(loaded, "list")
    assert code == 0
    assert ID in listing
    assert "active" in listing
    code, shown = run(loaded, "show", ID)
    assert code == 0
    assert '"8 U.S.C. 1253(a)(1)"' in shown


def test_suspend_resume_and_history(loaded: Path) -> None:
    code, output = run(loaded, "suspend", ID, "--order", "No. 25-cv-4242", "--why", "stay")
    assert code == 0
    assert "suspended (No. 25-cv-4242)" in output
    code, output = run(loaded, "resume", ID, "--why", "stay lifted", "--actor", "counsel")
    assert code == 0
    assert "active" in output
    code, history = run(loaded, "history", ID)
    assert code == 0
    assert "stay lifted" in history
    assert "counsel" in history


def test_safeguards_block(loaded: Path) -> None:
    code, output = run(loaded, "safeguards", ID, "--open-findings", "--why", "TIGTA review")
    assert code == 0
    assert "blocked" in output


def test_an_unlawful_program_file_fails_with_one_line(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "program.toml"
    path.write_text(PACKAGED.read_text().replace('"18 U.S.C. 1546(a)"', '"26 U.S.C. 7201"'))
    code, output = run(home, "load", str(path), "--why", "try")
    assert code != 0
    assert "allowed_statutes" in output
    assert output.strip().count("\n") == 0


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("show", "absent"), id="show"),
        pytest.param(("history", "absent"), id="history"),
        pytest.param(("resume", "absent", "--why", "x"), id="resume"),
    ],
)
def test_an_unknown_program_fails_with_one_line(home: Path, args: tuple[str, ...]) -> None:
    code, output = run(home, *args)
    assert code != 0
    assert "absent" in output


def test_a_missing_workspace_fails_with_one_line(tmp_path: Path) -> None:
    code, output = run(tmp_path / "nowhere", "list")
    assert code != 0
    assert "portcullis init" in output
