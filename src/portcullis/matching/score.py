"""SQL steps that turn candidate pairs into Fellegi-Sunter match weights, pure string builders."""

from __future__ import annotations

import math
from dataclasses import dataclass

from portcullis.matching.compare import (
    FIELD_LEVEL_SQL,
    address_level_sql,
    address_rank_sql,
)
from portcullis.matching.params import LEVELS, TF_FIELDS, MatchParams
from portcullis.matching.tables import (
    ADDRESS_TABLE,
    GIVEN_FREQ_TABLE,
    KEY_TABLE,
    META_TABLE,
    TAXPAYER_TABLE,
)

FIELDS = tuple(LEVELS)
_TF_COLUMN = {"given": "fn_tf", "surname": "ln_tf"}


def pairs_sql(query_keys: str) -> str:
    """Return SQL listing (qid, pos, kinds) for every taxpayer sharing a blocking key."""
    return f"""SELECT qk.qid, k.pos, list(DISTINCT qk.kind ORDER BY qk.kind) AS kinds
    FROM {KEY_TABLE} k JOIN {query_keys} qk ON k.key_hash = qk.key_hash
    GROUP BY qk.qid, k.pos"""


@dataclass(frozen=True, slots=True)
class IndexRelations:
    """The relations levels_sql reads: the index tables, or stand-ins with the same columns."""

    taxpayers: str = TAXPAYER_TABLE
    addresses: str = ADDRESS_TABLE
    given_freq: str = GIVEN_FREQ_TABLE
    meta: str = META_TABLE


def levels_sql(queries: str, pairs: str, index: IndexRelations | None = None) -> str:
    """Return SQL giving each pair's comparison level per field and the in-scope address."""
    index = index or IndexRelations()
    levels = ",\n    ".join(f"{sql()} AS {name}" for name, sql in FIELD_LEVEL_SQL.items())
    in_scope = "list_contains(q.years, a.tax_year)"
    return f"""WITH addr AS (
    SELECT p.qid, p.pos, max({address_rank_sql()}) AS addr_rank,
        max(a.tax_year) FILTER (WHERE {in_scope}) AS scope_year,
        arg_max({{'street': a.raw_street, 'unit': a.raw_unit, 'city': a.raw_city,
                  'state': a.raw_state, 'zip': a.raw_zip, 'tax_year': a.tax_year}}, a.tax_year)
            FILTER (WHERE {in_scope}) AS scope_address
    FROM {pairs} p JOIN {queries} q ON q.qid = p.qid
    JOIN {index.addresses} a ON a.pos = p.pos
    GROUP BY p.qid, p.pos)
SELECT p.qid, p.pos, t.tin AS cand_tin, p.kinds, addr.scope_year, addr.scope_address,
    t.fn_tf, t.ln_tf,
    {levels},
    CASE WHEN q.zip5 IS NULL AND q.city IS NULL THEN 'missing'
         ELSE {address_level_sql("addr.addr_rank")} END AS address
FROM {pairs} p JOIN {queries} q ON q.qid = p.qid
JOIN {index.taxpayers} t ON t.pos = p.pos
JOIN addr ON addr.qid = p.qid AND addr.pos = p.pos
LEFT JOIN {index.given_freq} qf ON qf.fn = q.fn
CROSS JOIN (SELECT 1.0 / greatest(taxpayers, 1) AS min_tf FROM {index.meta}) meta"""


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


def probability(weight: float) -> float:
    """Return the match probability of a match weight in bits."""
    if weight > 60:
        return 1.0
    odds = math.pow(2.0, weight)
    return odds / (1.0 + odds)
