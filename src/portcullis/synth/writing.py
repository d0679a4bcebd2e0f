"""Write populations and request batches as CSV, Parquet or JSON Lines, reproducibly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from portcullis.synth.errors import OutputFormatUnsupported
from portcullis.synth.model import Population, RequestBatch

FORMATS: tuple[str, ...] = ("csv", "parquet", "jsonl")
_JSONL_BATCH_ROWS = 65_536


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise OutputFormatUnsupported(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return fmt


def write_table(table: Any, path: Path, fmt: str) -> Path:
    """Write one table to a path in the given format and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if _check_format(fmt) == "csv":
        pacsv.write_csv(table, path)
    elif fmt == "parquet":
        # Statistics and dictionary choices depend only on the data, so output is reproducible.
        pq.write_table(table, path, compression="zstd")
    else:
        with path.open("w", encoding="utf-8", newline="\n") as out:
            for batch in table.to_batches(max_chunksize=_JSONL_BATCH_ROWS):
                for row in batch.to_pylist():
                    out.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
                    out.write("\n")
    return path


def write_population(pop: Population, out_dir: Path, fmt: str = "parquet") -> list[Path]:
    """Write master.<fmt> and people.parquet (people.csv when fmt is csv) into out_dir."""
    _check_format(fmt)
    people_fmt = "csv" if fmt == "csv" else "parquet"
    return [
        write_table(pop.master, out_dir / f"master.{fmt}", fmt),
        write_table(pop.people, out_dir / f"people.{people_fmt}", people_fmt),
    ]


def write_request(batch: RequestBatch, out_dir: Path, fmt: str = "csv") -> list[Path]:
    """Write request.<fmt> and truth.csv into out_dir."""
    _check_format(fmt)
    return [
        write_table(batch.items, out_dir / f"request.{fmt}", fmt),
        write_table(batch.truth, out_dir / "truth.csv", "csv"),
    ]
