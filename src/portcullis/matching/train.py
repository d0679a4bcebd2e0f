"""Training: u from random taxpayer pairs, m from labelled pairs, saved as a new model version."""

from __future__ import annotations

import dataclasses
import hashlib
import math
from collections.abc import Sequence
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from portcullis.matching.em import Fit, fit_em
from portcullis.matching.errors import IndexMissing
from portcullis.matching.matcher import Matcher
from portcullis.matching.params import (
    LEVELS,
    MatchParams,
    default_params,
    next_version,
    save_params,
    training_date,
)
from portcullis.matching.query import MatchQuery, profile_query
from portcullis.matching.rows import query_table
from portcullis.matching.score import candidates_sql, levels_sql, queries_sql
from portcullis.matching.tables import (
    ADDRESS_FIELDS,
    ADDRESSES,
    IDENTITY_FIELDS,
    META_TABLE,
    TAXPAYER_TABLE,
)

Labelled = Sequence[tuple[MatchQuery, str]]
U_SAMPLE_PAIRS = 200_000
# A request with at least this many items to match teaches its program's model (m and prior).
LEARN_MIN_ITEMS = 200
_FLOOR = 1e-9


def train(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    labelled: Labelled | None = None,
    seed: int = 6103,
) -> MatchParams:
    """Estimate a model from the indexed master (and labelled pairs), save it and return it."""
    taxpayers = _taxpayer_count(con)
    base = default_params()
    u = estimate_u(con, seed)
    m = estimate_m(con, labelled) if labelled else base.m
    params = dataclasses.replace(
        base,
        version=next_version(out_dir),
        trained_at=training_date(),
        data_fingerprint=data_fingerprint(con),
        prior_weight=math.log2(1.0 / max(taxpayers, 2)),
        m=m,
        u=u,
        notes=f"u from {U_SAMPLE_PAIRS} random pairs; m from "
        + (f"{len(labelled)} labelled pairs" if labelled else "the hand-set defaults"),
    )
    return save_params(params, out_dir)


def learn_from_requests(
    matcher: Matcher,
    queries: Sequence[MatchQuery],
    out_dir: Path,
    program: str,
    settled: Labelled = (),
) -> Fit:
    """Learn m and the prior for `program` from the items about to be decided; save the model.

    The matcher's model is the starting point (and what estimates are shrunk towards); u and
    the thresholds stay as they are. `settled` are items a reviewer confirmed, each with the
    TIN of the taxpayer confirmed: they join as labels (see `em.py`). The new model is saved as
    the next version in `out_dir`.
    """
    pairs = matcher.scored_pairs([*queries, *(query for query, _ in settled)])
    fixed = np.full(pairs.num_rows, np.nan)
    qids = pairs.column("qid").to_numpy()
    tins = pairs.column("cand_tin").to_pylist()
    for row in np.flatnonzero(qids >= len(queries)):
        fixed[row] = float(tins[row] == settled[int(qids[row]) - len(queries)][1])
    fit = fit_em(
        pairs,
        items=len(queries),
        taxpayers=_taxpayer_count(matcher.con),
        start=matcher.params,
        version=next_version(out_dir),
        program=program,
        fixed=fixed,
        labelled=len(settled),
    )
    return dataclasses.replace(fit, params=save_params(fit.params, out_dir))


def estimate_u(con: duckdb.DuckDBPyConnection, seed: int) -> dict[str, dict[str, float]]:
    """Return u per level: how often two random taxpayers agree at each level by chance."""
    identity = ", ".join(f"s.{f.name}" for f in IDENTITY_FIELDS)
    # Each sampled taxpayer stands as a query with its latest address.
    address = ", ".join(f"s.{ADDRESSES}[-1].{f.name} AS {f.name}" for f in ADDRESS_FIELDS)
    cur = con.cursor()
    try:
        cur.execute(f"SELECT setseed({(seed % 1000) / 1000!r})")
        cur.execute(f"""CREATE OR REPLACE TEMP TABLE match_train_draw AS
            SELECT pos, random() AS r1, random() AS r2 FROM {TAXPAYER_TABLE}""")
        cur.execute(f"""CREATE OR REPLACE TEMP TABLE match_train_q AS
            WITH pick AS (
                SELECT pos, (row_number() OVER (ORDER BY r1, pos) - 1)::BIGINT AS qid
                FROM match_train_draw ORDER BY r1, pos LIMIT {U_SAMPLE_PAIRS})
            SELECT pick.qid, s.tin, {identity}, {address},
                [list_max(s.{ADDRESSES}[-1].years)] AS years, pick.pos AS own
            FROM pick JOIN {TAXPAYER_TABLE} s ON s.pos = pick.pos""")
        cur.execute(f"""CREATE OR REPLACE TEMP TABLE match_train_p AS
            WITH other AS (
                SELECT pos, (row_number() OVER (ORDER BY r2, pos) - 1)::BIGINT AS qid
                FROM match_train_draw ORDER BY r2, pos LIMIT {U_SAMPLE_PAIRS})
            SELECT other.qid, other.pos, []::VARCHAR[] AS kinds FROM other
            JOIN match_train_q q ON q.qid = other.qid WHERE q.own <> other.pos""")
        return _frequencies(cur, _levels("match_train_q", "match_train_p"))
    finally:
        cur.close()


def estimate_m(con: duckdb.DuckDBPyConnection, labelled: Labelled) -> dict[str, dict[str, float]]:
    """Return m per level: how often a query and its true taxpayer agree at each level."""
    queries = query_table(
        [profile_query(q) for q, _ in labelled], [q.tax_years for q, _ in labelled]
    )
    cur = con.cursor()
    try:
        cur.register("match_label_q", queries)
        truth = pa.table(
            {
                "qid": pa.array(range(len(labelled)), pa.int64()),
                "tin_n": pa.array([int(tin) for _, tin in labelled], pa.int64()),
            }
        )
        cur.register("match_label_truth", truth)
        cur.execute(f"""CREATE OR REPLACE TEMP TABLE match_label_p AS
            SELECT l.qid, t.pos, []::VARCHAR[] AS kinds
            FROM match_label_truth l JOIN {TAXPAYER_TABLE} t ON t.tin_n = l.tin_n""")
        return _frequencies(cur, _levels("match_label_q", "match_label_p"))
    finally:
        cur.close()


def data_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """Return a short digest of the index the model was trained on (sizes and build time)."""
    row = con.execute(
        f"SELECT built_at, taxpayers, address_rows, keys FROM {META_TABLE}"
    ).fetchone()
    if row is None:
        raise IndexMissing("the match index is missing: run 'portcullis match index'")
    text = "|".join(str(value) for value in row)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _levels(queries: str, pairs: str) -> str:
    return levels_sql(queries_sql(queries), candidates_sql(pairs))


def _frequencies(cur: duckdb.DuckDBPyConnection, levels: str) -> dict[str, dict[str, float]]:
    cur.execute(f"CREATE OR REPLACE TEMP TABLE match_train_levels AS {levels}")
    table: dict[str, dict[str, float]] = {}
    for field_name, names in LEVELS.items():
        counts = dict(
            cur.execute(
                f"SELECT {field_name}, count(*) FROM match_train_levels GROUP BY 1"
            ).fetchall()
        )
        observed = [level for level in names if level != "missing"]
        total = sum(counts.get(level, 0) for level in observed)
        # Add-one smoothing: a level never seen in the sample still gets a small, finite weight.
        table[field_name] = {
            level: max(_FLOOR, (counts.get(level, 0) + 1) / (total + len(observed)))
            for level in observed
        }
    return table


def _taxpayer_count(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute(f"SELECT taxpayers FROM {META_TABLE}").fetchone()
    if row is None:
        raise IndexMissing("the match index is missing: run 'portcullis match index'")
    return int(row[0])
