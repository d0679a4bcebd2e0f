"""SQL steps that turn candidate pairs into Fellegi-Sunter match weights, pure string builders."""

from __future__ import annotations

from portcullis.matching.compare import (
    FIELD_LEVEL_SQL,
    address_level_sql,
    address_rank_sql,
)
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


def pairs_sql(query_keys: str) -> str:
    """Return SQL listing (qid, pos, kinds) for every taxpayer sharing a blocking key."""
    return f"""SELECT qk.qid, k.pos, list(DISTINCT qk.kind ORDER BY qk.kind) AS kinds
    FROM {KEY_TABLE} k JOIN {query_keys} qk ON k.key_hash = qk.key_hash
    GROUP BY qk.qid, k.pos"""


def candidates_sql(pairs: str) -> str:
    """Return SQL giving each pair's taxpayer row (address history included) with qid and kinds."""
    return f"SELECT p.qid, p.kinds, t.* FROM {pairs} p JOIN {TAXPAYER_TABLE} t ON t.pos = p.pos"


def queries_sql(queries: str) -> str:
    """Return SQL adding to each query its given name's frequency and the smallest frequency."""
    return f"""SELECT q.*, qf.fn_tf AS given_tf, meta.min_tf FROM {queries} q
    LEFT JOIN {GIVEN_FREQ_TABLE} qf ON qf.fn = q.fn
    CROSS JOIN (SELECT 1.0 / greatest(taxpayers, 1) AS min_tf FROM {META_TABLE}) meta"""


def levels_sql(queries: str, candidates: str) -> str:
    """Return SQL giving each candidate's comparison level per field and its in-scope address.

    `queries` is a SELECT with the query columns, `given_tf` and `min_tf` (see queries_sql);
    `candidates` a SELECT with qid, kinds and the taxpayer columns (see candidates_sql). The
    statement is one projection over their join, so a handful of candidates costs little.
    """
    levels = ",\n        ".join(f"{sql()} AS {name}" for name, sql in FIELD_LEVEL_SQL.items())
    released = ", ".join(f"'{name}': scoped.raw_{name}" for name in _RELEASED)
    # The in-scope address is the one filed from the latest requested tax year on record.
    return f"""SELECT qid, pos, cand_tin, kinds, scope_year,
    CASE WHEN scoped IS NOT NULL THEN {{{released}, 'tax_year': scope_year}} END AS scope_address,
    fn_tf, ln_tf, {", ".join(FIELD_LEVEL_SQL)},
    CASE WHEN no_query_address THEN 'missing' ELSE {address_level_sql("addr_rank")} END AS address
FROM (
    SELECT *,
        list_filter({ADDRESSES}, lambda a: list_contains(a.years, scope_year))[1] AS scoped
    FROM (
        SELECT t.qid, t.pos, t.tin AS cand_tin, t.kinds, t.fn_tf, t.ln_tf, t.{ADDRESSES},
            {levels},
            list_max(list_transform(t.{ADDRESSES}, lambda a: {address_rank_sql()})) AS addr_rank,
            list_max(list_transform(t.{ADDRESSES},
                lambda a: list_max(list_intersect(a.years, q.years)))) AS scope_year,
            q.zip5 IS NULL AND q.city IS NULL AS no_query_address
        FROM ({candidates}) t JOIN ({queries}) q ON q.qid = t.qid))"""


def weights_sql(params: MatchParams, levels: str) -> str:
    """Return SQL adding each field's weight, the term-frequency adjustments and the total."""
    parts = [f"{_weight_case(params, name)} AS w_{name}" for name in FIELDS]
    parts += [f"{_tf_case(params, name)} AS tf_{name}" for name in TF_FIELDS]
    terms = " + ".join([f"w_{name}" for name in FIELDS] + [f"tf_{name}" for name in TF_FIELDS])
    return f"""WITH lv AS ({levels}),
w AS (SELECT lv.*, {", ".join(parts)} FROM lv)
SELECT w.*, {params.prior_weight!r} + {terms} AS weight,
    {params.prior_weight!r} + {terms} - w_tin AS weight_without_tin,
    row_number() OVER (PARTITION BY qid ORDER BY {params.prior_weight!r} + {terms} DESC, cand_tin)
        AS position,
    count(*) OVER (PARTITION BY qid) AS candidates
FROM w"""


TOP_CANDIDATES = 5


def top_sql(scored: str) -> str:
    """Return SQL keeping each query's best few candidates, best first."""
    return f"SELECT * FROM ({scored}) WHERE position <= {TOP_CANDIDATES} ORDER BY qid, position"


def _weight_case(params: MatchParams, field_name: str) -> str:
    cases = " ".join(
        f"WHEN '{level}' THEN {params.weight(field_name, level)!r}" for level in LEVELS[field_name]
    )
    return f"CASE {field_name} {cases} ELSE 0.0 END"


def _tf_case(params: MatchParams, field_name: str) -> str:
    # A shared common name is weaker evidence than a shared rare one: replace the average
    # chance agreement u(exact) by the name's own frequency, within a cap each way.
    u_exact = params.u[field_name]["exact"]
    column = _TF_COLUMN[field_name]
    cap = params.tf_cap
    adjust = f"log2({u_exact!r} / greatest({column}, 1e-9))"
    bounded = f"greatest(-{cap!r}, least({cap!r}, {adjust}))"
    return f"CASE WHEN {field_name} = 'exact' THEN {bounded} ELSE 0.0 END"
