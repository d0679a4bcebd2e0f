"""Tests for the `portcullis synth` command, through Typer's runner."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from portcullis.cli.app import app

runner = CliRunner()


def test_synth_writes_every_file(tmp_path: Path) -> None:
    args = ["synth", "--taxpayers", "200", "--items", "80", "--seed", "4", "--out", str(tmp_path)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["master.csv", "people.csv", "request.csv", "truth.csv"]
    assert "200 taxpayers" in result.output


def test_synth_without_items_writes_only_the_population(tmp_path: Path) -> None:
    args = ["synth", "--taxpayers", "50", "--items", "0", "--out", str(tmp_path), "--format"]
    result = runner.invoke(app, [*args, "parquet"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["master.parquet", "people.parquet"]


def test_synth_bad_format_fails_with_one_line(tmp_path: Path) -> None:
    args = ["synth", "--taxpayers", "10", "--out", str(tmp_path), "--format", "xlsx"]
    result = runner.invoke(app, args)
    assert result.exit_code != 0
    assert "portcullis: format must be one of csv, parquet, jsonl" in result.output


def test_synth_bad_size_fails_with_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["synth", "--taxpayers", "0", "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "portcullis: taxpayers must be between" in result.output
