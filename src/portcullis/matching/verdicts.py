"""From a query's scored candidates, best first, to its MatchResult: every engine ends here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from portcullis.matching.decide import Candidate, decide, evidence_of, posterior
from portcullis.matching.params import MatchParams
from portcullis.matching.query import MatchQuery
from portcullis.matching.result import MatchResult, ReleaseAddress


def result_of(
    query: MatchQuery, rows: Sequence[Mapping[str, Any]], params: MatchParams
) -> MatchResult:
    """Return the verdict, taxpayer, address and evidence for a query's top candidate rows."""
    candidates: list[Candidate] = list(rows)
    decision = decide(candidates, params)
    chosen = decision.chosen
    address = None
    if chosen is not None:
        address = ReleaseAddress(**chosen["scope_address"])
    top = candidates[0] if candidates else None
    weight = float(chosen["weight"]) if chosen else (float(top["weight"]) if top else -99.0)
    return MatchResult(
        key=query.key,
        verdict=decision.verdict,
        tin=str(chosen["cand_tin"]) if chosen else None,
        score=posterior(candidates),
        match_weight=weight,
        address=address,
        evidence=evidence_of(decision, candidates, params),
        model_version=params.version,
    )


def results_by_query(
    queries: Sequence[MatchQuery], rows: Sequence[Mapping[str, Any]], params: MatchParams
) -> list[MatchResult]:
    """Return one result per query, in order, from top rows numbered by `qid` (query position)."""
    grouped: list[list[Mapping[str, Any]]] = [[] for _ in queries]
    for row in rows:
        grouped[row["qid"]].append(row)
    return [result_of(q, group, params) for q, group in zip(queries, grouped, strict=True)]
