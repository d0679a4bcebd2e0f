"""Learning m and the match prior from the requests being decided, by expectation-maximisation.

The model of one request item: the person it names is on file with probability `p`, and then is
any one of the N taxpayers with equal chance; otherwise the person is not on file. Given the
comparison levels of the item against its blocked candidates, the posterior that candidate j is
the person is 2^w_j / (1 + sum over candidates of 2^w_k), where w is the match weight with the
prior log2(p / ((1 - p) N)) (see `posterior.py`). The E-step computes these responsibilities with
the current m; the M-step re-estimates m per field level as the responsibility-weighted share of
pairs at that level, and p as the expected share of items on file. u stays as estimated from
random pairs of taxpayers in the master.

Two safeguards keep the learned model from drifting towards relatives:
- the contradiction levels (a different given name, birth date, suffix, middle name or TIN) keep
  their hand-set m, and a pair carrying one contributes nothing to the estimates: the decision
  rules never release such a pair, so it must not teach the model what a match looks like;
- each estimate is shrunk towards the model it starts from by a pseudo-count, so a small
  request cannot swing the model far from it.

Items a reviewer settled can join as labels: their pairs' responsibilities are fixed (1 for the
taxpayer the reviewer confirmed, 0 for the item's other candidates) and they teach m, but not
the share on file, because the items sent to review are not a random draw of the requests.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from portcullis.matching.params import LEVELS, MatchParams, training_date

# Levels that say "a different person"; their m is never learned (see the module docstring).
CONTRADICTION_LEVELS: dict[str, frozenset[str]] = {
    "given": frozenset({"disagree"}),
    "dob": frozenset({"disagree"}),
    "suffix": frozenset({"disagree"}),
    "middle": frozenset({"disagree"}),
    "tin": frozenset({"disagree"}),
}
PSEUDO_COUNT = 50.0
ITERATIONS = 40
TOLERANCE = 1e-5
_P_BOUNDS = (1e-4, 0.999)
_M_FLOOR = 1e-6


@dataclass(frozen=True, slots=True)
class Fit:
    """The outcome of one EM run: the model and what it was learned from."""

    params: MatchParams
    items: int
    pairs: int
    iterations: int
    on_file_share: float
    labelled: int = 0


def fit_em(
    pairs: pa.Table,
    items: int,
    taxpayers: int,
    start: MatchParams,
    version: str,
    program: str,
    fixed: np.ndarray | None = None,
    labelled: int = 0,
) -> Fit:
    """Return the model learned from `pairs` (qid, one level column per field, tf_*), from `start`.

    `items` counts every unlabelled item of the batch, those without any candidate included:
    they are the evidence that a share of the requested people is not on file. `fixed` holds,
    per pair, the responsibility a label fixes (NaN where the pair is unlabelled); `labelled`
    counts the labelled items.
    """
    if items <= 0:
        raise ValueError("EM needs at least one item")
    qid = pairs.column("qid").to_numpy().astype(np.int64)
    levels = {name: _level_index(pairs, name) for name in LEVELS}
    tf = np.zeros(len(qid))
    for name in ("tf_given", "tf_surname"):
        tf += np.nan_to_num(pairs.column(name).to_numpy(zero_copy_only=False).astype(float))
    usable = np.ones(len(qid), dtype=bool)
    for name, bad in CONTRADICTION_LEVELS.items():
        for level in bad:
            usable &= levels[name] != LEVELS[name].index(level)
    free = np.ones(len(qid), dtype=bool) if fixed is None else np.isnan(fixed)
    labels = np.zeros(len(qid)) if fixed is None else np.nan_to_num(fixed)
    m = {name: dict(values) for name, values in start.m.items()}
    p0 = _on_file_share(start.prior_weight, taxpayers)
    p = p0
    done = 0
    for done in range(1, ITERATIONS + 1):  # noqa: B007 - the count is reported
        prior = _prior_weight(p, taxpayers)
        weight = prior + tf + sum(_weights(name, m, start, levels[name]) for name in LEVELS)
        resp = np.where(free, responsibilities(qid, weight), labels) * usable
        new_m = {name: _m_step(name, start, levels[name], resp) for name in LEVELS}
        on_file = float(resp[free].sum())
        new_p = (on_file + PSEUDO_COUNT * p0) / (items + PSEUDO_COUNT)
        new_p = min(max(new_p, _P_BOUNDS[0]), _P_BOUNDS[1])
        change = max(
            abs(new_p - p),
            max(abs(new_m[f][lv] - m[f][lv]) for f in new_m for lv in new_m[f]),
        )
        m, p = new_m, new_p
        if change < TOLERANCE:
            break
    params = dataclasses.replace(
        start,
        version=version,
        trained_at=training_date(),
        prior_weight=_prior_weight(p, taxpayers),
        m=m,
        program=program,
        notes=f"m and prior by EM over {len(qid)} candidate pairs of {items} items "
        f"and {labelled} items settled in review ({done} iterations, {p:.1%} of items on "
        "file); u from the master",
    )
    return Fit(
        params=params,
        items=items,
        pairs=len(qid),
        iterations=done,
        on_file_share=p,
        labelled=labelled,
    )


def responsibilities(qid: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Return each pair's posterior of being the item's person, pairs grouped by sorted `qid`.

    Within one item: 2^w_j / (1 + sum_k 2^w_k); the 1 stands for "the person is not on file".
    """
    if len(qid) == 0:
        return np.zeros(0)
    order = np.argsort(qid, kind="stable")
    q, w = qid[order], weight[order] * math.log(2.0)
    starts = np.flatnonzero(np.r_[True, q[1:] != q[:-1]])
    peak = np.maximum(np.maximum.reduceat(w, starts), 0.0)
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(q)]))
    scaled = np.exp(w - peak[group])
    total = np.add.reduceat(scaled, starts) + np.exp(-peak)
    out = np.empty_like(scaled)
    out[order] = scaled / total[group]
    return out


def _level_index(pairs: pa.Table, name: str) -> np.ndarray:
    names = LEVELS[name]
    values = pairs.column(name).to_pylist()
    return np.array([names.index(v) for v in values], dtype=np.int64)


def _weights(
    name: str, m: dict[str, dict[str, float]], start: MatchParams, index: np.ndarray
) -> np.ndarray:
    table = np.array(
        [
            0.0 if level == "missing" else math.log2(m[name][level] / start.u[name][level])
            for level in LEVELS[name]
        ]
    )
    weights: np.ndarray = table[index]
    return weights


def _m_step(
    name: str,
    start: MatchParams,
    index: np.ndarray,
    resp: np.ndarray,
) -> dict[str, float]:
    fixed = CONTRADICTION_LEVELS.get(name, frozenset())
    free = [level for level in LEVELS[name] if level != "missing" and level not in fixed]
    counts = np.bincount(index, weights=resp, minlength=len(LEVELS[name]))
    mass = 1.0 - sum(start.m[name][level] for level in fixed)
    prior_mass = sum(start.m[name][level] for level in free)
    total = sum(counts[LEVELS[name].index(level)] for level in free) + PSEUDO_COUNT
    out = {level: start.m[name][level] for level in fixed}
    for level in free:
        share = (
            counts[LEVELS[name].index(level)] + PSEUDO_COUNT * start.m[name][level] / prior_mass
        ) / total
        out[level] = max(_M_FLOOR, mass * share)
    return out


def _on_file_share(prior_weight: float, taxpayers: int) -> float:
    odds = math.pow(2.0, prior_weight) * taxpayers
    return min(max(odds / (1.0 + odds), _P_BOUNDS[0]), _P_BOUNDS[1])


def _prior_weight(p: float, taxpayers: int) -> float:
    return math.log2(p / ((1.0 - p) * max(taxpayers, 2)))
