"""The master loader's tests share one in-memory engine fixture."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB connection for one test."""
    connection = duckdb.connect()
    yield connection
    connection.close()
