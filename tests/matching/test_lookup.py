"""The on-demand lookup: the same candidates as the DuckDB index, and never a stale one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from portcullis.matching import IndexMissing, Matcher, build_index, default_params
from portcullis.matching.keys import query_keys
from portcullis.matching.lookup import SUFFIX, Lookup
from portcullis.matching.query import profile_query
from portcullis.matching.tables import KEY_TABLE

from .households import Row, fill_master, filler, query_for

HOUSEHOLD = [
    Row("100000001", "Robert", date_of_birth=None),
    Row("100000002", "Roberta"),
    Row("100000003", "Ana", last_name="García López"),
    Row("100000004", "Bob", name_suffix="Jr"),
]


@pytest.fixture
def file_con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """Return a connection to a DuckDB file (its lookup is a file beside it)."""
    return duckdb.connect(str(tmp_path / "master.duckdb"))


def indexed_kinds(con: duckdb.DuckDBPyConnection, keys: dict[int, str]) -> dict[str, list[str]]:
    """Return, per candidate TIN, the kinds of `keys` the DuckDB key table holds for it."""
    found: dict[str, set[str]] = {}
    for hashed, kind in keys.items():
        for (tin,) in con.execute(
            f"SELECT t.tin FROM {KEY_TABLE} k JOIN match_taxpayer t USING (pos) "
            "WHERE k.key_hash = ?",
            [hashed],
        ).fetchall():
            found.setdefault(tin, set()).add(kind)
    return {tin: sorted(kinds) for tin, kinds in found.items()}


@pytest.mark.parametrize("where", ["file", "memory"])
def test_lookup_finds_what_the_key_table_holds(
    where: str, file_con: duckdb.DuckDBPyConnection, con: duckdb.DuckDBPyConnection
) -> None:
    target = file_con if where == "file" else con
    rows = HOUSEHOLD + filler(300)
    fill_master(target, rows)
    lookup = Lookup.open(target)
    high_hashes = 0
    for row in rows[:40]:
        profile = profile_query(query_for(row, middle_name=None))
        keys = query_keys(profile)
        high_hashes += sum(1 for hashed in keys if hashed >= 1 << 63)
        fetched = lookup.fetch(keys, profile.fn)
        assert fetched is not None
        got = {c["tin"]: c["kinds"] for c in json.loads(fetched.candidates_json)}
        assert got == indexed_kinds(target, keys)
    # Hashes at or above 2^63 are stored signed in SQLite; the sample must include them.
    assert high_hashes > 0


def test_given_name_frequency_comes_with_the_candidates(con: duckdb.DuckDBPyConnection) -> None:
    fill_master(con, HOUSEHOLD + filler(20))
    profile = profile_query(query_for(HOUSEHOLD[2]))
    fetched = Lookup.open(con).fetch(query_keys(profile), profile.fn)
    assert fetched is not None
    assert fetched.given_tf == pytest.approx(1 / 24)
    assert fetched.min_tf == pytest.approx(1 / 24)


def test_no_keys_fetch_nothing(con: duckdb.DuckDBPyConnection) -> None:
    fill_master(con, HOUSEHOLD)
    assert Lookup.open(con).fetch({}, None) is None


def test_the_lookup_file_sits_beside_the_master(
    file_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    fill_master(file_con, HOUSEHOLD)
    assert (tmp_path / f"master.duckdb{SUFFIX}").is_file()
    assert not list(tmp_path.glob("*.partial"))


def test_a_missing_lookup_is_refused(file_con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    fill_master(file_con, HOUSEHOLD)
    (tmp_path / f"master.duckdb{SUFFIX}").unlink()
    with pytest.raises(IndexMissing, match="match index"):
        Matcher.open(file_con, default_params())


def test_a_lookup_of_an_earlier_build_is_refused(
    file_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    fill_master(file_con, HOUSEHOLD)
    lookup = tmp_path / f"master.duckdb{SUFFIX}"
    shutil.copyfile(lookup, tmp_path / "earlier")
    build_index(file_con)
    Matcher.open(file_con, default_params())
    shutil.copyfile(tmp_path / "earlier", lookup)
    with pytest.raises(IndexMissing, match="out of date"):
        Matcher.open(file_con, default_params())


def test_on_demand_and_batch_agree_on_a_file_master(file_con: duckdb.DuckDBPyConnection) -> None:
    fill_master(file_con, HOUSEHOLD + filler(100))
    matcher = Matcher.open(file_con, default_params())
    queries = [query_for(row, key=row.tin) for row in HOUSEHOLD + filler(10)]
    assert [matcher.match_one(q) for q in queries] == matcher.match_batch(queries)
