"""Day counts for the glance and the dashboard: decisions per day, request and outcome, and the
items waiting, read from the tallies the database keeps.

The triggers of `portcullis.store.tallies` count every decision as it is written, so each load reads
a few thousand tally rows, whatever the size of the year, and the counts are never stale.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, Engine

from portcullis.reports.rows import PENDING_REVIEW
from portcullis.reports.totals import Totals
from portcullis.store.tables import decisions, items
from portcullis.store.tallies import decision_tallies
from portcullis.store.taxpayer_tallies import taxpayer_tallies


@dataclass(slots=True)
class DayCounts:
    """Decisions per (day, request, outcome), refusals per code list, and the taxpayers released."""

    outcomes: Counter[tuple[dt.date, str, str]] = field(default_factory=Counter)
    # The span's totals by the report's rule (portcullis.reports.totals).
    totals: Totals = field(default_factory=Totals)
    # Distinct TINs released in the span (one span per count: the year's).
    taxpayers: int = 0
    # Every item waiting for review now, whatever its year: (count, oldest) per request.
    waiting: dict[str, tuple[int, dt.datetime]] = field(default_factory=dict)

    def add(self, other: DayCounts) -> None:
        """Add another span's counts to these."""
        self.outcomes.update(other.outcomes)
        self.totals.outcomes.update(other.totals.outcomes)
        self.totals.refusal_reasons.update(other.totals.refusal_reasons)
        self.taxpayers += other.taxpayers
        self.waiting.update(other.waiting)


def day_of(engine: Engine, column: ColumnElement[Any]) -> ColumnElement[Any]:
    """The UTC day of a stored moment, in the engine's dialect (the one quirk of these counts)."""
    if engine.dialect.name == "postgresql":
        return sa.cast(sa.func.timezone("UTC", column), sa.Date)
    return sa.func.date(column)


def as_date(value: object) -> dt.date:
    """Read a day as the dialect returns it (a date, or ISO text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _days(start: dt.datetime, end: dt.datetime) -> ColumnElement[bool]:
    return sa.and_(decision_tallies.c.day >= start.date(), decision_tallies.c.day < end.date())


def count_final(engine: Engine, year: int) -> DayCounts:
    """Count the final decisions of a UTC year per day, request and outcome, and its taxpayers."""
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)
    tallied = decision_tallies.c
    when = _days(start, end)
    per_day = (
        sa.select(tallied.day, tallied.request_id, tallied.outcome, sa.func.sum(tallied["items"]))
        .where(when, tallied.outcome != PENDING_REVIEW)
        .group_by(tallied.day, tallied.request_id, tallied.outcome)
    )
    by_reasons = (
        sa.select(tallied.outcome, tallied.reason_codes, sa.func.sum(tallied["items"]))
        .where(when, tallied.outcome != PENDING_REVIEW)
        .group_by(tallied.outcome, tallied.reason_codes)
    )
    # One tally row per TIN released in the year: the taxpayers affected are its rows.
    released = sa.select(sa.func.count()).where(taxpayer_tallies.c.year == year)
    counts = DayCounts()
    with engine.connect() as con:
        for day, request_id, outcome, number in con.execute(per_day):
            counts.outcomes[as_date(day), str(request_id), str(outcome)] += int(number)
        for outcome, codes, number in con.execute(by_reasons):
            counts.totals.count(str(outcome), str(codes).split(";"), int(number))
        counts.taxpayers = int(con.execute(released).scalar_one())
    return counts


def count_waiting(engine: Engine, start: dt.datetime, end: dt.datetime) -> DayCounts:
    """Count every item waiting for review, per request, and per day for those held in the span."""
    tallied = decision_tallies.c
    query = (
        sa.select(tallied.day, tallied.request_id, sa.func.sum(tallied["items"]))
        .where(tallied.outcome == PENDING_REVIEW)
        .group_by(tallied.day, tallied.request_id)
    )
    counts = DayCounts()
    first_day: dict[str, dt.date] = {}
    waiting: Counter[str] = Counter()
    with engine.connect() as con:
        for day, request_id, number in con.execute(query):
            held, rid = as_date(day), str(request_id)
            if start.date() <= held < end.date():
                counts.outcomes[held, rid, PENDING_REVIEW] += int(number)
                counts.totals.count(PENDING_REVIEW, (), int(number))
            first_day[rid] = min(first_day.get(rid, held), held)
            waiting[rid] += int(number)
        # The oldest moment of each request's backlog lies on its first day with held items; the
        # requests whose first day is the same are asked in one query.
        by_day: dict[dt.date, list[str]] = {}
        for rid, day in first_day.items():
            by_day.setdefault(day, []).append(rid)
        for day, rids in sorted(by_day.items()):
            began = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
            oldest = con.execute(
                sa.select(items.c.request_id, sa.func.min(decisions.c.decided_at))
                .join(items, items.c.id == decisions.c.item_pk)
                .where(
                    decisions.c.outcome == PENDING_REVIEW,
                    decisions.c.decided_at >= began,
                    decisions.c.decided_at < began + dt.timedelta(days=1),
                    items.c.request_id.in_(rids),
                )
                .group_by(items.c.request_id)
            )
            for rid, moment in oldest:
                counts.waiting[str(rid)] = (waiting[str(rid)], _utc(moment))
    return counts


def year_counts(engine: Engine, year: int) -> DayCounts:
    """Count the year's decisions and the items waiting now, from the database's tallies."""
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)
    counts = count_final(engine, year)
    counts.add(count_waiting(engine, start, end))
    return counts
