"""Fixtures for the matching tests."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """Return a fresh in-memory DuckDB connection."""
    connection = duckdb.connect()
    yield connection
    connection.close()
