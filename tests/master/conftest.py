"""Shared pieces of the master loader's tests: an in-memory engine and the master file's header."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from portcullis.contract.columns import MASTER_COLUMNS

HEADER = ",".join(MASTER_COLUMNS)


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB connection for one test."""
    connection = duckdb.connect()
    yield connection
    connection.close()


def write_lines(path: Path, *lines: str) -> Path:
    """Write a master CSV of the header and `lines`."""
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path
