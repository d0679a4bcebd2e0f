"""The master load's summary names each reject by row and field and gives the share rejected."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from portcullis.cli.app import app
from portcullis.contract.columns import MASTER_COLUMNS

runner = CliRunner()


def test_summary_lists_rejects_by_row_and_field_and_the_share_rejected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTCULLIS_HOME", str(tmp_path / "ws"))
    monkeypatch.setenv("COLUMNS", "200")
    assert runner.invoke(app, ["init"]).exit_code == 0
    master = tmp_path / "master.csv"
    rows = [
        "111223333,Bo,,Ng,,,2 C St,,Z,NY,10001,2024",
        "12345,Ann,,Lee,,,1 B St,,Y,CA,90210,2024",
        "222334444,Al,,Wu,,1990-02-30,3 D St,,Z,NY,10001,2024",
        "333445555,Cy,,Oh,,,4 E St,,Z,NY,10001,2024,extra",
    ]
    master.write_text("\n".join([",".join(MASTER_COLUMNS), *rows]) + "\n")
    loaded = runner.invoke(app, ["master", "load", str(master)])
    assert loaded.exit_code == 0, loaded.output
    assert "50.00%" in loaded.output
    assert "rejected: row 2, field tin: TIN must be 9 digits" in loaded.output
    assert "rejected: row 4, field (row): wrong number of fields" in loaded.output
    assert "kept, field ignored: row 3, field date_of_birth" in loaded.output
    again = runner.invoke(app, ["master", "load", str(master)])
    assert again.exit_code == 0, again.output
    assert f"unchanged since its last load, not read again: {master}" in again.output
    assert "50.00%" in again.output
    assert "rejected: row 2, field tin: TIN must be 9 digits" in again.output
