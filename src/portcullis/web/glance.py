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
from portcullis.store.tables import decisions, intake_events, items, releases, requests
from portcullis.web.batches import tally_codes

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
    requests: int
    taxpayers_affected: int
    refusal_reasons: tuple[tuple[str, int], ...]
    backlog: tuple[Backlog, ...]
    recalls_by_period: tuple[tuple[str, int, int], ...]
    freshness: Freshness


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _day(engine: Engine, column: ColumnElement[Any]) -> ColumnElement[Any]:
    # The one dialect quirk here: PostgreSQL takes the UTC day explicitly, SQLite stores UTC text.
    if engine.dialect.name == "postgresql":
        return sa.cast(sa.func.timezone("UTC", column), sa.Date)
    return sa.func.date(column)


def period_of(day: dt.date, period: Period) -> str:
    """Name the ISO week (“2026-W49”) or the month (“2026-12”) a day falls in."""
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day.year}-{day.month:02d}"


def _as_date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime(year, 1, 1, tzinfo=dt.UTC), dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)


def _in_year(column: ColumnElement[Any], year: int) -> ColumnElement[bool]:
    start, end = _year_bounds(year)
    return sa.and_(column >= start, column < end)


def _figures(engine: Engine, year: int, period: Period) -> list[Figures]:
    day = _day(engine, decisions.c.decided_at).label("day")
    query = (
        sa.select(
            day,
            requests.c.requesting_agency,
            requests.c.program_id,
            decisions.c.outcome,
            sa.func.count(),
        )
        .join(items, items.c.id == decisions.c.item_pk)
        .join(requests, requests.c.request_id == items.c.request_id)
        .where(_in_year(decisions.c.decided_at, year))
        .group_by(day, requests.c.requesting_agency, requests.c.program_id, decisions.c.outcome)
    )
    # A request refused as a whole is one refused row of the accounting, with no agency.
    refused_day = _day(engine, intake_events.c.received_at).label("day")
    refused_whole = (
        sa.select(
            refused_day,
            sa.literal(""),
            sa.func.coalesce(intake_events.c.program_id, ""),
            sa.literal(REFUSED),
            sa.func.count(),
        )
        .where(intake_events.c.accepted.is_(False), _in_year(intake_events.c.received_at, year))
        .group_by(refused_day, intake_events.c.program_id)
    )
    grouped: dict[tuple[str, str, str], Figures] = {}
    with engine.connect() as con:
        found = [*con.execute(query), *con.execute(refused_whole)]
    for when, agency, program, outcome, count in found:
        key = (period_of(_as_date(when), period), agency or "", program or "")
        figures = grouped.setdefault(key, Figures(*key))
        figures.outcomes[outcome] += int(count)
    return [grouped[key] for key in sorted(grouped)]


def _requests(engine: Engine, year: int) -> int:
    decided = (
        sa.select(sa.func.count(sa.distinct(items.c.request_id)))
        .join(decisions, decisions.c.item_pk == items.c.id)
        .where(_in_year(decisions.c.decided_at, year))
    )
    refused_whole = sa.select(sa.func.count()).where(
        intake_events.c.accepted.is_(False), _in_year(intake_events.c.received_at, year)
    )
    with engine.connect() as con:
        return int(con.execute(decided).scalar_one()) + int(con.execute(refused_whole).scalar_one())


def _taxpayers_affected(engine: Engine, year: int) -> int:
    query = sa.select(sa.func.count(sa.distinct(decisions.c.tin))).where(
        decisions.c.outcome == DISCLOSED, _in_year(decisions.c.decided_at, year)
    )
    with engine.connect() as con:
        return int(con.execute(query).scalar_one())


def _refusal_reasons(engine: Engine, year: int) -> tuple[tuple[str, int], ...]:
    query = (
        sa.select(decisions.c.reason_codes, sa.func.count())
        .where(decisions.c.outcome == REFUSED, _in_year(decisions.c.decided_at, year))
        .group_by(decisions.c.reason_codes)
    )
    with engine.connect() as con:
        counts = tally_codes(con.execute(query))
    return tuple(sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))


def review_backlog(engine: Engine) -> tuple[Backlog, ...]:
    """Count the items waiting for review now, per agency and program, with the oldest."""
    query = (
        sa.select(
            requests.c.requesting_agency,
            requests.c.program_id,
            sa.func.count(),
            sa.func.min(decisions.c.decided_at),
        )
        .join(items, items.c.id == decisions.c.item_pk)
        .join(requests, requests.c.request_id == items.c.request_id)
        .where(decisions.c.outcome == PENDING_REVIEW)
        .group_by(requests.c.requesting_agency, requests.c.program_id)
        .order_by(requests.c.requesting_agency, requests.c.program_id)
    )
    with engine.connect() as con:
        return tuple(
            Backlog(agency or "", program, int(count), None if oldest is None else _utc(oldest))
            for agency, program, count, oldest in con.execute(query)
        )


def _recalls(engine: Engine, year: int, period: Period) -> tuple[tuple[str, int, int], ...]:
    day = _day(engine, releases.c.recalled_at).label("day")
    query = (
        sa.select(day, sa.func.count(), sa.func.count(releases.c.disposed_at))
        .where(_in_year(releases.c.recalled_at, year))
        .group_by(day)
    )
    counts: dict[str, list[int]] = {}
    with engine.connect() as con:
        for when, recalled, disposed in con.execute(query):
            tally = counts.setdefault(period_of(_as_date(when), period), [0, 0])
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
    rows = _figures(engine, year, period)
    total = Figures("all", "All", "All")
    for figures in rows:
        total.outcomes.update(figures.outcomes)
    return Glance(
        year=year,
        period=period,
        rows=tuple(rows),
        total=total,
        requests=_requests(engine, year),
        taxpayers_affected=_taxpayers_affected(engine, year),
        refusal_reasons=_refusal_reasons(engine, year),
        backlog=review_backlog(engine),
        recalls_by_period=_recalls(engine, year, period),
        freshness=checkpoint_freshness(engine, ledger_size),
    )


def decision_years(engine: Engine) -> tuple[int, ...]:
    """Return the calendar years (UTC) between the first and the last decision, newest first."""
    query = sa.select(sa.func.min(decisions.c.decided_at), sa.func.max(decisions.c.decided_at))
    with engine.connect() as con:
        first, last = con.execute(query).one()
    if first is None:
        return ()
    return tuple(range(_utc(last).year, _utc(first).year - 1, -1))
