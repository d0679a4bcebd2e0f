"""Blocking recall: how often the true taxpayer shares at least one blocking key with the item."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import duckdb
import pyarrow as pa

from portcullis.matching import MatchQuery
from portcullis.matching.matcher import query_key_table
from portcullis.matching.query import profile_query
from portcullis.matching.tables import KEY_TABLE, TAXPAYER_TABLE

from .data import Truth


def blocking_recall(
    con: duckdb.DuckDBPyConnection, queries: Sequence[MatchQuery], truths: Sequence[Truth]
) -> tuple[float, int, Counter[str]]:
    """Return the share of items whose filing person is reached by a key, their count, and misses.

    Only items whose person files (a true TIN) count; misses are counted by item kind.
    """
    wanted = {
        qid: int(truth.true_tin) for qid, truth in enumerate(truths) if truth.true_tin is not None
    }
    keys = query_key_table([profile_query(query) for query in queries])
    truth_table = pa.table(
        {
            "qid": pa.array(list(wanted), pa.int64()),
            "tin_n": pa.array(list(wanted.values()), pa.int64()),
        }
    )
    cur = con.cursor()
    try:
        cur.register("blocking_keys", keys)
        cur.register("blocking_truth", truth_table)
        rows = cur.execute(f"""
            SELECT DISTINCT bk.qid FROM blocking_keys bk
            JOIN {KEY_TABLE} k ON k.key_hash = bk.key_hash
            JOIN {TAXPAYER_TABLE} t ON t.pos = k.pos
            JOIN blocking_truth bt ON bt.qid = bk.qid AND bt.tin_n = t.tin_n""").fetchall()
    finally:
        cur.close()
    found = {row[0] for row in rows}
    missed = Counter(truths[qid].kind for qid in wanted if qid not in found)
    return (len(found) / len(wanted) if wanted else 1.0), len(wanted), missed
