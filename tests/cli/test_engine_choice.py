"""`requests process --engine`: a request decided on Spark gives the accounting DuckDB gives."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from pyspark.sql import SparkSession
from typer.testing import CliRunner

from portcullis.cli.app import app
from portcullis.contract.columns import MASTER_COLUMNS
from tests.conftest import MASTER_ROWS

runner = CliRunner()
# Items that reach every outcome: a disclosure, Jr/Sr without a birth date, a non-filing
# relative at the filers' address, namesakes told apart, a ZIP code that is no address.
ITEMS = [
    {},
    {
        "first_name": "Robert",
        "last_name": "Walker",
        "date_of_birth": "",
        "street": "12 Elm St",
        "unit": "",
        "city": "Dayton",
        "state": "OH",
        "zip": "45402",
    },
    {
        "first_name": "Peter",
        "last_name": "Walker",
        "date_of_birth": "1993-02-02",
        "street": "12 Elm St",
        "unit": "",
        "city": "Dayton",
        "state": "OH",
        "zip": "45402",
    },
    {
        "first_name": "Minh",
        "last_name": "Nguyen",
        "date_of_birth": "1985-11-30",
        "street": "9 Lotus Lane",
        "unit": "",
        "city": "Garden Grove",
        "state": "CA",
        "zip": "92840",
    },
    {
        "first_name": "Robert",
        "last_name": "Walker",
        "name_suffix": "Jr",
        "date_of_birth": "1988-09-15",
        "street": "12 Elm St",
        "unit": "",
        "city": "Dayton",
        "state": "OH",
        "zip": "45402",
    },
    {"street": "", "unit": "", "city": "", "state": "", "zip": "78205"},
]


def accounting_after(home: Path, request: Path, master: Path, engine: str) -> list[dict[str, str]]:
    """Return the accounting export of a new workspace that ran `request` on `engine`."""
    assert runner.invoke(app, ["init", "--home", str(home)]).exit_code == 0
    loaded = runner.invoke(app, ["master", "load", str(master), "--home", str(home)])
    assert loaded.exit_code == 0, loaded.output
    key = home / "keys" / "demo-signer.key"
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
            "--home",
            str(home),
        ],
    )
    assert submitted.exit_code == 0, submitted.output
    processed = runner.invoke(app, ["requests", "process", "--engine", engine, "--home", str(home)])
    assert processed.exit_code == 0, processed.output
    out = home / "accounting.csv"
    exported = runner.invoke(app, ["accounting", "export", "--out", str(out), "--home", str(home)])
    assert exported.exit_code == 0, exported.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # The request's id and the moment of decision belong to each run; nothing else may differ.
    for row in rows:
        del row["request_id"], row["decided_at"]
    return rows


def test_spark_gives_the_duckdb_accounting(
    spark: SparkSession, tmp_path: Path, request_file: Callable[..., Path]
) -> None:
    master = tmp_path / "master.csv"
    lines = [",".join(MASTER_COLUMNS), *(",".join(row) for row in MASTER_ROWS)]
    master.write_text("\n".join(lines) + "\n", encoding="utf-8")
    request = request_file(*ITEMS)
    on_duckdb = accounting_after(tmp_path / "duck", request, master, "duckdb")
    on_spark = accounting_after(tmp_path / "spark", request, master, "spark")
    assert on_spark == on_duckdb
    outcomes = {row["outcome"] for row in on_spark}
    assert {"disclosed", "refused", "no_match"} <= outcomes, outcomes
    assert (tmp_path / "spark" / "spark").is_dir()


def test_an_unknown_engine_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["requests", "process", "--engine", "oracle", "--home", str(tmp_path / "ws")]
    )
    assert result.exit_code != 0
    assert "duckdb, spark" in result.output


@pytest.mark.parametrize(
    ("section", "engine"),
    [
        pytest.param({}, "duckdb", id="default"),
        pytest.param({"batch_engine": "spark"}, "spark", id="spark"),
    ],
)
def test_the_workspace_setting_names_the_batch_engine(
    tmp_path: Path, section: dict[str, str], engine: str
) -> None:
    from portcullis.workspace import Workspace

    workspace = Workspace(home=tmp_path, state_url="sqlite://", ledger_origin="o", spark=section)
    assert workspace.batch_engine == engine


def test_an_unknown_engine_setting_is_refused(tmp_path: Path) -> None:
    from portcullis.workspace import SettingInvalid, Workspace

    workspace = Workspace(tmp_path, "sqlite://", "o", spark={"batch_engine": "sprak"})
    with pytest.raises(SettingInvalid, match="duckdb or spark"):
        _ = workspace.batch_engine
