"""The HTML report `portcullis demo` writes: outcomes, reasons, accuracy, timings, checkpoint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from portcullis.reports.charts import Bar, render_bar_chart
from portcullis.reports.rows import OUTCOMES
from portcullis.reports.templates import render_page


@dataclass(frozen=True, slots=True)
class GroundTruthCounts:
    """How the run's releases compare with the synthetic data's known true identities."""

    released_right: int  # released, to the person the request named
    released_wrong: int  # released, but to someone else: the harm the gateway exists to prevent
    matchable_not_released: int  # the person is a filer, yet nothing was released
    # Items the law allows (ground truth: not a refusal) that were refused anyway, and of them those
    # refused for their address: a valid request refused is a failure too.
    lawful_refused: int = 0
    lawful_refused_for_address: int = 0

    @property
    def precision(self) -> float | None:
        """Share of releases that went to the right person, or None when nothing was released."""
        released = self.released_right + self.released_wrong
        return None if released == 0 else self.released_right / released

    @property
    def recall(self) -> float | None:
        """Share of matchable people whose address was released, or None when none was matchable."""
        matchable = self.released_right + self.matchable_not_released
        return None if matchable == 0 else self.released_right / matchable


@dataclass(frozen=True, slots=True)
class SampleDecision:
    """One decision shown as an example in the run report (never a TIN or an address)."""

    request_id: str
    item_id: str
    outcome: str
    reason_codes: tuple[str, ...]
    match_score: float | None
    truth: str  # what the ground truth says, e.g. "right person" or "not a filer"


@dataclass(frozen=True, slots=True)
class RunSummary:
    """Plain figures from one demo run, ready to render."""

    title: str
    generated_at: dt.datetime
    outcome_counts: Mapping[str, int]
    reason_counts: Mapping[str, int]
    ground_truth: GroundTruthCounts | None
    stage_seconds: Mapping[str, float]
    checkpoint: str
    samples: tuple[SampleDecision, ...]
    facts: Mapping[str, str] = field(default_factory=dict)


def render_run_report(summary: RunSummary) -> str:
    """Return the run report as one self-contained HTML page."""
    outcomes = order_outcomes(summary.outcome_counts)
    reasons = sorted(summary.reason_counts.items(), key=lambda pair: (-pair[1], pair[0]))
    charts = (
        render_bar_chart(
            "outcomes",
            "Items by outcome",
            "Horizontal bars, one per outcome, giving the number of items that ended in it.",
            [Bar(name, count) for name, count in outcomes],
        ),
        render_bar_chart(
            "reasons",
            "Items by reason code",
            "Horizontal bars, one per reason code, giving the number of items that carry it.",
            [Bar(name, count) for name, count in reasons],
        ),
        render_bar_chart(
            "stages",
            "Wall time per stage, in seconds",
            "Horizontal bars, one per pipeline stage, giving its wall-clock time in seconds.",
            [Bar(name, seconds) for name, seconds in summary.stage_seconds.items()],
            value_format="{:,.2f} s",
        ),
    )
    return render_page(
        "run_report.html",
        summary=summary,
        outcomes=outcomes,
        reasons=reasons,
        charts=charts,
        generated_at=summary.generated_at.isoformat(timespec="seconds"),
    )


def order_outcomes(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """List outcome counts in the contract's order, every contract outcome present, extras last."""
    known = [(name, counts.get(name, 0)) for name in OUTCOMES]
    extra = sorted((name, count) for name, count in counts.items() if name not in OUTCOMES)
    return known + extra
