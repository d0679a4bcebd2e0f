"""SQL steps that turn candidate pairs into Fellegi-Sunter match weights, pure string builders."""

from __future__ import annotations

from portcullis.matching.compare import (
    FIELD_LEVEL_SQL,
    address_level_sql,
    address_rank_sql,
)
from portcullis.matching.dialect import DUCKDB, Dialect
from portcullis.matching.params import LEVELS, TF_FIELDS, MatchParams
from portcullis.matching.tables import (
    ADDRESSES,
    GIVEN_FREQ_TABLE,
    KEY_TABLE,
    META_TABLE,
    TAXPAYER_TABLE,
)

FIELDS = tuple(LEVELS)
_TF_COLUMN = {"given": "fn_tf", "surname": "ln_tf"}
_RELEASED = ("street", "unit", "city", "state", "zip")


def double(value: float) -> str:
    """Return a SQL literal both engines read as this very double (never as a DECIMAL)."""
    # Plain decimals such as 3.17 are DECIMAL literals in DuckDB and Spark alike, and sums of
    # decimals round differently from sums of doubles; 17 significant digits in E notation
    # read back as the same double in both.
    return f"{value:.17e}"


def pairs_sql(query_keys: str, d: Dialect = DUCKDB) -> str:
    """Return SQL listing (qid, pos, kinds) for every taxpayer sharing a blocking key."""
    return f"""SELECT qk.qid, k.pos, {d.sorted_distinct("qk.kind")} AS kinds
    FROM {KEY_TABLE} k JOIN {query_keys} qk ON k.key_hash = qk.key_hash
    GROUP BY qk.qid, k.pos"""


def candidates_sql(pairs: str) -> str:
    """Return SQL giving each pair's taxpayer row (address history included) with qid and kinds."""
    return f"SELECT p.qid, p.kinds, t.* FROM {pairs} p JOIN {TAXPAYER_TABLE} t ON t.pos = p.pos"


def queries_sql(queries: str) -> str:
    """Return SQL adding to each query its given name's frequency and the smallest frequency."""
    return f"""SELECT q.*, qf.fn_tf AS given_tf, meta.min_tf FROM {queries} q
    LEFT JOIN {GIVEN_FREQ_TABLE} qf ON qf.fn = q.fn
    CROSS JOIN (SELECT 1e0 / greatest(taxpayers, 1) AS min_tf FROM {META_TABLE}) meta"""


def levels_sql(queries: str, candidates: str, d: Dialect = DUCKDB) -> str:
    """Return SQL giving each candidate's comparison level per field and its in-scope address.

    `queries` is a SELECT with the query columns, `given_tf` and `min_tf` (see queries_sql);
    `candidates` a SELECT with qid, kinds and the taxpayer columns (see candidates_sql). The
    statement is one projection over their join, so a handful of candidates costs little.
    """
    levels = ",\n        ".join(f"{sql(d)} AS {name}" for name, sql in FIELD_LEVEL_SQL.items())
    released = d.struct(
        {**{name: f"scoped.raw_{name}" for name in _RELEASED}, "tax_year": "scope_year"}
    )
    in_scope = d.keep(ADDRESSES, "a", d.contains("a.years", "scope_year"))
    rank = d.best_address_rank(f"t.{ADDRESSES}", "q.street_name", address_rank_sql)
    scope_year = d.largest_intersection(f"t.{ADDRESSES}", "a", "years", "q.years")
    # The in-scope address is the one filed from the latest requested tax year on record.
    return f"""SELECT qid, pos, cand_tin, kinds, scope_year,
    CASE WHEN scoped IS NOT NULL THEN {released} END AS scope_address,
    fn_tf, ln_tf, {", ".join(FIELD_LEVEL_SQL)},
    CASE WHEN no_query_address THEN 'missing' ELSE {address_level_sql("addr_rank")} END AS address
FROM (
    SELECT *,
        {d.first(in_scope)} AS scoped
    FROM (
        SELECT t.qid, t.pos, t.tin AS cand_tin, t.kinds, t.fn_tf, t.ln_tf, t.{ADDRESSES},
            {levels},
            {rank} AS addr_rank,
            {scope_year} AS scope_year,
            q.zip5 IS NULL AND q.city IS NULL AS no_query_address
        FROM ({candidates}) t JOIN ({queries}) q ON q.qid = t.qid))"""


def weights_sql(params: MatchParams, levels: str) -> str:
    """Return SQL adding each field's weight, the term-frequency adjustments and the total."""
    parts = [f"{_weight_case(params, name)} AS w_{name}" for name in FIELDS]
    parts += [f"{_tf_case(params, name)} AS tf_{name}" for name in TF_FIELDS]
    terms = " + ".join([f"w_{name}" for name in FIELDS] + [f"tf_{name}" for name in TF_FIELDS])
    prior = double(params.prior_weight)
    return f"""WITH lv AS ({levels}),
w AS (SELECT lv.*, {", ".join(parts)} FROM lv)
SELECT w.*, {prior} + {terms} AS weight,
    {prior} + {terms} - w_tin AS weight_without_tin,
    row_number() OVER (PARTITION BY qid ORDER BY {prior} + {terms} DESC, cand_tin)
        AS position,
    count(*) OVER (PARTITION BY qid) AS candidates
FROM w"""


TOP_CANDIDATES = 5


def top_sql(scored: str) -> str:
    """Return SQL keeping each query's best few candidates, best first."""
    return f"SELECT * FROM ({scored}) WHERE position <= {TOP_CANDIDATES} ORDER BY qid, position"


def _weight_case(params: MatchParams, field_name: str) -> str:
    cases = " ".join(
        f"WHEN '{level}' THEN {double(params.weight(field_name, level))}"
        for level in LEVELS[field_name]
    )
    return f"CASE {field_name} {cases} ELSE 0e0 END"


def _tf_case(params: MatchParams, field_name: str) -> str:
    # A shared common name is weaker evidence than a shared rare one: replace the average
    # chance agreement u(exact) by the name's own frequency, within a cap each way.
    u_exact = params.u[field_name]["exact"]
    column = _TF_COLUMN[field_name]
    cap = double(params.tf_cap)
    adjust = f"log2({double(u_exact)} / greatest({column}, 1e-9))"
    bounded = f"greatest(-{cap}, least({cap}, {adjust}))"
    return f"CASE WHEN {field_name} = 'exact' THEN {bounded} ELSE 0e0 END"
