"""Oversight at a glance, aggregated in SQL: a year per week or month, per agency and program,
with the review backlog, refusal reasons, recalls and the ledger checkpoint's freshness."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

import sqlalchemy as sa
from sqlalchemy import ColumnElement, Engine

from portcullis.ledger.tables import ledger_checkpoints
from portcullis.reports.rows import AMBIGUOUS, DISCLOSED, NO_MATCH, PENDING_REVIEW, REFUSED
from portcullis.reports.totals import REQUEST_REFUSED, Totals
from portcullis.store.tables import decisions, intake_events, releases, requests
from portcullis.web.day_counts import DayCounts, as_date, day_of, year_counts

Period = Literal["week", "month"]
PERIODS: tuple[Period, ...] = get_args(Period)
# The outcome columns of every figure row, in the contract's order.
COUNTED: tuple[str, ...] = (DISCLOSED, REFUSED, NO_MATCH, AMBIGUOUS, PENDING_REVIEW)


@dataclass(slots=True)
class Figures:
    """Items decided in one period for one agency and program, by outcome."""

    period: str
    requesting_agency: str
    program_id: str
    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def items(self) -> int:
        """Every item decided, whatever the outcome."""
        return sum(self.outcomes.values())


@dataclass(frozen=True, slots=True)
class Backlog:
    """Items waiting for a reviewer for one agency and program, and since when."""

    requesting_agency: str
    program_id: str
    waiting: int
    oldest: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Freshness:
    """The newest signed checkpoint and how far the ledger has grown past it."""

    ledger_size: int
    checkpoint_size: int | None
    signed_at: dt.datetime | None

    @property
    def uncovered(self) -> int:
        """Entries appended since the newest checkpoint was signed."""
        return self.ledger_size - (self.checkpoint_size or 0)


@dataclass(frozen=True, slots=True)
class Glance:
    """Everything the dashboard's at-a-glance part shows for one year."""

    year: int
    period: Period
    rows: tuple[Figures, ...]
    total: Figures
    totals: Totals
    requests: int
    taxpayers_affected: int
    refusal_reasons: tuple[tuple[str, int], ...]
    backlog: tuple[Backlog, ...]
    recalls_by_period: tuple[tuple[str, int, int], ...]
    freshness: Freshness


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def period_of(day: dt.date, period: Period) -> str:
    """Name the ISO week (“2026-W49”) or the month (“2026-12”) a day falls in."""
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day.year}-{day.month:02d}"


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime(year, 1, 1, tzinfo=dt.UTC), dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)


def _in_year(column: ColumnElement[Any], year: int) -> ColumnElement[bool]:
    start, end = _year_bounds(year)
    return sa.and_(column >= start, column < end)


def _agencies(engine: Engine) -> dict[str, tuple[str, str]]:
    query = sa.select(requests.c.request_id, requests.c.requesting_agency, requests.c.program_id)
    with engine.connect() as con:
        return {rid: (agency or "", program) for rid, agency, program in con.execute(query)}


def _refused_whole(engine: Engine, year: int) -> list[tuple[dt.date, str, str, int]]:
    # A request refused as a whole is one refused row of the accounting, with no agency.
    day = day_of(engine, intake_events.c.received_at).label("day")
    code = sa.func.coalesce(intake_events.c.code, REQUEST_REFUSED)
    query = (
        sa.select(day, sa.func.coalesce(intake_events.c.program_id, ""), code, sa.func.count())
        .where(intake_events.c.accepted.is_(False), _in_year(intake_events.c.received_at, year))
        .group_by(day, intake_events.c.program_id, code)
    )
    with engine.connect() as con:
        return [
            (as_date(when), str(program), str(reason), int(n))
            for when, program, reason, n in con.execute(query)
        ]


def _figures(
    counts: DayCounts,
    agencies: dict[str, tuple[str, str]],
    refused_whole: list[tuple[dt.date, str, str, int]],
    period: Period,
) -> list[Figures]:
    grouped: dict[tuple[str, str, str], Figures] = {}

    def add(day: dt.date, agency: str, program: str, outcome: str, number: int) -> None:
        key = (period_of(day, period), agency, program)
        grouped.setdefault(key, Figures(*key)).outcomes[outcome] += number

    for (day, request_id, outcome), number in counts.outcomes.items():
        add(day, *agencies.get(request_id, ("", "")), outcome, number)
    for day, program, _, number in refused_whole:
        add(day, "", program, REFUSED, number)
    return [grouped[key] for key in sorted(grouped)]


def review_backlog(counts: DayCounts, agencies: dict[str, tuple[str, str]]) -> tuple[Backlog, ...]:
    """Sum the items waiting for review now per agency and program, with the oldest."""
    summed: dict[tuple[str, str], tuple[int, dt.datetime]] = {}
    for request_id, (number, oldest) in counts.waiting.items():
        key = agencies.get(request_id, ("", ""))
        known, first = summed.get(key, (0, oldest))
        summed[key] = (known + number, min(first, oldest))
    return tuple(
        Backlog(agency, program, number, oldest)
        for (agency, program), (number, oldest) in sorted(summed.items())
    )


def _recalls(engine: Engine, year: int, period: Period) -> tuple[tuple[str, int, int], ...]:
    day = day_of(engine, releases.c.recalled_at).label("day")
    query = (
        sa.select(day, sa.func.count(), sa.func.count(releases.c.disposed_at))
        .where(_in_year(releases.c.recalled_at, year))
        .group_by(day)
    )
    counts: dict[str, list[int]] = {}
    with engine.connect() as con:
        for when, recalled, disposed in con.execute(query):
            tally = counts.setdefault(period_of(as_date(when), period), [0, 0])
            tally[0] += int(recalled)
            tally[1] += int(disposed)
    return tuple((name, pair[0], pair[1]) for name, pair in sorted(counts.items()))


def checkpoint_freshness(engine: Engine, ledger_size: int) -> Freshness:
    """Find the newest signed checkpoint and compare it with the ledger's size."""
    query = (
        sa.select(ledger_checkpoints.c.size, ledger_checkpoints.c.signed_at)
        .order_by(ledger_checkpoints.c.size.desc())
        .limit(1)
    )
    with engine.connect() as con:
        row = con.execute(query).first()
    return Freshness(
        ledger_size=ledger_size,
        checkpoint_size=None if row is None else int(row.size),
        signed_at=None if row is None else _utc(row.signed_at),
    )


def glance(engine: Engine, year: int, period: Period, *, ledger_size: int) -> Glance:
    """Gather the year's figures per period, agency and program, and the state of the ledger."""
    counts = year_counts(engine, year)
    refused_whole = _refused_whole(engine, year)
    agencies = _agencies(engine)
    rows = _figures(counts, agencies, refused_whole, period)
    totals = counts.totals
    for *_, code, number in refused_whole:
        totals.count(REFUSED, (code,), number)
    recalls = _recalls(engine, year, period)
    totals.recalls = sum(recalled for _, recalled, _ in recalls)
    total = Figures("all", "All", "All", Counter(totals.outcomes))
    reasons = totals.refusal_reasons
    return Glance(
        year=year,
        period=period,
        rows=tuple(rows),
        total=total,
        requests=len({rid for _, rid, _ in counts.outcomes}) + sum(n for *_, n in refused_whole),
        totals=totals,
        taxpayers_affected=counts.taxpayers,
        refusal_reasons=tuple(sorted(reasons.items(), key=lambda pair: (-pair[1], pair[0]))),
        backlog=review_backlog(counts, agencies),
        recalls_by_period=recalls,
        freshness=checkpoint_freshness(engine, ledger_size),
    )


def decision_years(engine: Engine) -> tuple[int, ...]:
    """Return the calendar years (UTC) between the first and the last decision, newest first."""
    # Two queries, so that each is one step along the index on decided_at.
    with engine.connect() as con:
        first = con.execute(sa.select(sa.func.min(decisions.c.decided_at))).scalar_one()
        last = con.execute(sa.select(sa.func.max(decisions.c.decided_at))).scalar_one()
    if first is None:
        return ()
    return tuple(range(_utc(last).year, _utc(first).year - 1, -1))
