"""The operator's flow over a synthetic population: index, train, learn, match, release line."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from portcullis.matching import Matcher, MatchParams, MatchQuery, MatchResult, build_index, train
from portcullis.matching.release_line import REVIEW_FLOOR
from portcullis.matching.train import learn_from_requests
from portcullis.synth import Population, generate_population
from portcullis.synth.request import generate_request

from .data import Truth, labelled_pairs, load_population, matchable_items
from .requests import hold_per_request


@dataclass(frozen=True)
class Decided:
    """One synthetic batch decided as `requests process` decides it, with its truth and timings."""

    con: duckdb.DuckDBPyConnection
    population: Population
    params: MatchParams
    learned: str
    queries: list[MatchQuery]
    truths: list[Truth]
    results: list[MatchResult]
    expected_wrong: float
    seconds: dict[str, float]


def decide_synthetic(
    taxpayers: int, items: int, seed: int, work: Path, flow: str, floor: float = REVIEW_FLOOR
) -> Decided:
    """Return a generated batch decided by the `operator` flow (EM) or the `labelled` one."""
    seconds: dict[str, float] = {}
    population = generate_population(taxpayers, seed=seed)
    con = load_population(work / "master.duckdb", population)
    t0 = time.perf_counter()
    build_index(con)
    seconds["index"] = time.perf_counter() - t0
    evaluation = generate_request(population, items, seed=seed + 2)
    queries, truths = matchable_items(evaluation.items, evaluation.truth)
    t0 = time.perf_counter()
    if flow == "labelled":
        training = generate_request(population, items, seed=seed + 1)
        train_queries, train_truths = matchable_items(training.items, training.truth)
        params = train(con, work / "match", labelled=labelled_pairs(train_queries, train_truths))
        learned = f"m from {len(train_queries)} labelled items of a separate batch"
    else:
        base = train(con, work / "match")
        fit = learn_from_requests(Matcher.open(con, base), queries, work / "match", "bench")
        params = fit.params
        learned = (
            f"m and prior by EM over the evaluated batch itself ({fit.pairs} pairs, "
            f"{fit.iterations} iterations, {fit.on_file_share:.1%} estimated on file)"
        )
    seconds["train"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    results = Matcher.open(con, params).match_batch(queries)
    # The release line is drawn per request, as 'requests process' does.
    results, expected_wrong = hold_per_request(results, params.thresholds.precision, floor)
    seconds["match_batch"] = time.perf_counter() - t0
    return Decided(
        con, population, params, learned, queries, truths, results, expected_wrong, seconds
    )
