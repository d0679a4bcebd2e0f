"""Training: u from random pairs, m from labelled pairs, versioned model files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from portcullis.matching import load_current_params, train
from portcullis.matching.params import LEVELS

from .households import fill_master, filler, query_for


def test_train_saves_a_new_version_each_time(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    fill_master(con, filler(200))
    first = train(con, tmp_path)
    second = train(con, tmp_path)
    assert (first.version, second.version) == ("v1", "v2")
    assert load_current_params(tmp_path) == second
    assert first.data_fingerprint == second.data_fingerprint != ""
    assert first.prior_weight == pytest.approx(-7.64, abs=0.01)  # log2(1/200)


def test_u_reflects_chance_agreement(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    fill_master(con, filler(200))
    params = train(con, tmp_path)
    for field, levels in LEVELS.items():
        assert set(params.u[field]) == {level for level in levels if level != "missing"}
    # Random pairs of different people rarely share a date of birth or an exact address.
    assert params.u["dob"]["disagree"] > 0.9
    assert params.u["address"]["exact"] < 0.05


def test_m_from_labelled_pairs(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    rows = filler(200)
    fill_master(con, rows)
    labelled = [(query_for(row, key=row.tin), row.tin) for row in rows[:50]]
    params = train(con, tmp_path, labelled=labelled)
    assert params.m["given"]["exact"] > 0.85
    assert params.m["dob"]["exact"] > 0.85
    assert "50 labelled pairs" in params.notes
