"""Tests for portcullis.synth.writing: file names, formats and byte-identical output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from portcullis.contract.columns import MASTER_COLUMNS, REQUEST_COLUMNS
from portcullis.synth import (
    Population,
    RequestBatch,
    generate_population,
    generate_request,
    write_population,
    write_request,
)
from portcullis.synth.errors import OutputFormatUnsupported
from portcullis.synth.writing import FORMATS


def _write_all(out: Path, fmt: str) -> list[Path]:
    population = generate_population(300, seed=5)
    batch = generate_request(population, 120, seed=5)
    return write_population(population, out, fmt) + write_request(batch, out, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_seed_writes_identical_bytes(tmp_path: Path, fmt: str) -> None:
    first = _write_all(tmp_path / "a", fmt)
    second = _write_all(tmp_path / "b", fmt)
    assert [p.name for p in first] == [p.name for p in second]
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name


@pytest.mark.parametrize(
    ("fmt", "names"),
    [
        pytest.param("csv", ["master.csv", "people.csv", "request.csv", "truth.csv"], id="csv"),
        pytest.param(
            "parquet",
            ["master.parquet", "people.parquet", "request.parquet", "truth.csv"],
            id="parquet",
        ),
        pytest.param(
            "jsonl", ["master.jsonl", "people.parquet", "request.jsonl", "truth.csv"], id="jsonl"
        ),
    ],
)
def test_file_names(tmp_path: Path, fmt: str, names: list[str]) -> None:
    assert [p.name for p in _write_all(tmp_path, fmt)] == names


def test_files_read_back_with_contract_columns(
    tmp_path: Path, population: Population, batch: RequestBatch
) -> None:
    write_population(population, tmp_path, "parquet")
    write_request(batch, tmp_path, "jsonl")
    master = pq.read_table(tmp_path / "master.parquet")
    assert master.equals(population.master)
    lines = (tmp_path / "request.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    assert rows == batch.items.to_pylist()
    assert list(rows[0])[: len(REQUEST_COLUMNS)] == list(REQUEST_COLUMNS)
    truth = pacsv.read_csv(tmp_path / "truth.csv")
    assert truth.num_rows == batch.items.num_rows


def test_csv_keeps_accents_and_header(tmp_path: Path, population: Population) -> None:
    write_population(population, tmp_path, "csv")
    text = (tmp_path / "master.csv").read_text(encoding="utf-8")
    header = text.splitlines()[0].replace('"', "").split(",")
    assert header == list(MASTER_COLUMNS)
    assert not text.isascii()


def test_unknown_format_is_refused(tmp_path: Path, population: Population) -> None:
    with pytest.raises(OutputFormatUnsupported, match="xlsx"):
        write_population(population, tmp_path, "xlsx")
    assert not any(tmp_path.iterdir())


def test_output_does_not_depend_on_the_process_hash_seed(tmp_path: Path) -> None:
    here = _write_all(tmp_path / "here", "csv")
    script = (
        "import sys; from pathlib import Path; "
        "from tests.synth.test_writing import _write_all; "
        "_write_all(Path(sys.argv[1]), 'csv')"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    root = Path(__file__).resolve().parents[2]
    subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "there")], check=True, env=env, cwd=root
    )
    for path in here:
        assert path.read_bytes() == (tmp_path / "there" / path.name).read_bytes(), path.name
