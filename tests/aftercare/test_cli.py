"""The recall, release and reports commands through the command runner."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from portcullis.cli import recall, reports
from portcullis.gateway import Gateway

runner = CliRunner()

# The commands as app.py registers them.
cli = typer.Typer()
cli.command("recall")(recall.recall)
cli.add_typer(recall.release_app, name="release")
cli.add_typer(reports.app, name="reports")


def test_recall_confirm_and_report_from_the_command_line(
    gateway: Gateway, released: str, tmp_path: Path
) -> None:
    home = ["--home", str(gateway.workspace.home)]
    unnamed = runner.invoke(cli, ["recall", "--reason", "r", "--by", "ops-1", *home])
    assert unnamed.exit_code == 1 and "--request" in unnamed.output
    unknown = runner.invoke(
        cli, ["recall", "--request", "NO-SUCH", "--reason", "r", "--by", "ops-1", *home]
    )
    assert unknown.exit_code == 1
    assert unknown.output.strip().count("\n") == 0 and "no release matches" in unknown.output
    result = runner.invoke(
        cli,
        ["recall", "--item", f"{released}:2", "--reason", "Wrong person.", "--by", "ops-1", *home],
    )
    assert result.exit_code == 0, result.output
    assert "Recalled 1 releases" in result.output and "recall-" in result.output
    overdue = runner.invoke(cli, ["reports", "overdue", *home])
    assert overdue.exit_code == 0, overdue.output
    assert "recalled" in overdue.output
    disposed = runner.invoke(
        cli, ["release", "confirm-disposal", released, "2", "--by", "ICE-HSI-00001", *home]
    )
    assert disposed.exit_code == 0, disposed.output
    assert "Disposal confirmed" in disposed.output
    assert "No overdue" in runner.invoke(cli, ["reports", "overdue", *home]).output
    received = runner.invoke(
        cli, ["release", "confirm-receipt", released, "1", "--by", "ICE-HSI-00001", *home]
    )
    assert received.exit_code == 0 and "Receipt confirmed" in received.output
    year = str(dt.datetime.now(dt.UTC).year)
    out = tmp_path / "out"
    annual = runner.invoke(cli, ["reports", "annual", "--year", year, "--out", str(out), *home])
    assert annual.exit_code == 0, annual.output
    assert (out / f"annual-{year}.csv").is_file() and (out / f"annual-{year}.html").is_file()
    shown = runner.invoke(cli, ["reports", "taxpayer", "333445555", *home])
    assert shown.exit_code == 0, shown.output
    [release] = json.loads(shown.output)["releases"]
    assert release["recall_reason"] == "Wrong person." and release["disposed_at"]
