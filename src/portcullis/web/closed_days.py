"""Decisions counted per day, request and outcome, with the closed days read once per process.

A final decision never changes and the road records every decision at the time it is made, so the
final decisions of a day that has ended are fixed: the dashboard counts them once and then adds only
today's decisions and the items still waiting for review (whose time moves when they are settled).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, Engine

from portcullis.reports.rows import DISCLOSED, PENDING_REVIEW, REFUSED
from portcullis.store.tables import decisions, items


@dataclass(slots=True)
class DayCounts:
    """Decisions per (day, request, outcome), refusals per code list, and the TINs released."""

    outcomes: Counter[tuple[dt.date, str, str]] = field(default_factory=Counter)
    refusal_codes: Counter[str] = field(default_factory=Counter)
    tins: set[str] = field(default_factory=set)
    # Every item waiting for review now, whatever its year: (count, oldest) per request.
    waiting: dict[str, tuple[int, dt.datetime]] = field(default_factory=dict)

    def add(self, other: DayCounts) -> None:
        """Add another span's counts to these."""
        self.outcomes.update(other.outcomes)
        self.refusal_codes.update(other.refusal_codes)
        self.tins |= other.tins
        self.waiting.update(other.waiting)


_CLOSED: dict[tuple[str, int, dt.date], DayCounts] = {}
_LOCK = threading.Lock()


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


def count_final(engine: Engine, start: dt.datetime, end: dt.datetime) -> DayCounts:
    """Count the final decisions made in [start, end) per day, request and outcome."""
    when = sa.and_(decisions.c.decided_at >= start, decisions.c.decided_at < end)
    day = day_of(engine, decisions.c.decided_at).label("day")
    per_day = (
        sa.select(day, items.c.request_id, decisions.c.outcome, sa.func.count())
        .join(items, items.c.id == decisions.c.item_pk)
        .where(when, decisions.c.outcome != PENDING_REVIEW)
        .group_by(day, items.c.request_id, decisions.c.outcome)
    )
    refused = (
        sa.select(decisions.c.reason_codes, sa.func.count())
        .where(when, decisions.c.outcome == REFUSED)
        .group_by(decisions.c.reason_codes)
    )
    released = (
        sa.select(decisions.c.tin)
        .where(when, decisions.c.outcome == DISCLOSED, decisions.c.tin.is_not(None))
        .distinct()
    )
    counts = DayCounts()
    with engine.connect() as con:
        for moment, request_id, outcome, number in con.execute(per_day):
            counts.outcomes[as_date(moment), str(request_id), str(outcome)] += int(number)
        for codes, number in con.execute(refused):
            counts.refusal_codes[str(codes)] += int(number)
        counts.tins.update(str(tin) for tin in con.execute(released).scalars())
    return counts


def count_waiting(engine: Engine, start: dt.datetime, end: dt.datetime) -> DayCounts:
    """Count every item waiting for review, per request, and per day for those held in the span."""
    day = day_of(engine, decisions.c.decided_at).label("day")
    query = (
        sa.select(day, items.c.request_id, sa.func.count(), sa.func.min(decisions.c.decided_at))
        .join(items, items.c.id == decisions.c.item_pk)
        .where(decisions.c.outcome == PENDING_REVIEW)
        .group_by(day, items.c.request_id)
    )
    counts = DayCounts()
    with engine.connect() as con:
        for moment, request_id, number, oldest in con.execute(query):
            held, rid = as_date(moment), str(request_id)
            if start.date() <= held < end.date():
                counts.outcomes[held, rid, PENDING_REVIEW] += int(number)
            known, first = counts.waiting.get(rid, (0, _utc(oldest)))
            counts.waiting[rid] = (known + int(number), min(first, _utc(oldest)))
    return counts


def year_counts(engine: Engine, year: int, *, now: dt.datetime | None = None) -> DayCounts:
    """Count the year's decisions: closed days from the process's memory, the rest afresh."""
    moment = now or dt.datetime.now(dt.UTC)
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)
    today = dt.datetime.combine(moment.date(), dt.time(), tzinfo=dt.UTC)
    cut = min(max(today, start), end)
    key = (engine.url.render_as_string(hide_password=True), year, cut.date())
    with _LOCK:
        closed = _CLOSED.get(key)
        if closed is None:
            closed = count_final(engine, start, cut)
            # Yesterday's closed days are a subset of today's: keep one entry per database and year.
            for old in [k for k in _CLOSED if k[:2] == key[:2]]:
                del _CLOSED[old]
            _CLOSED[key] = closed
    counts = DayCounts()
    counts.add(closed)
    if cut < end:
        counts.add(count_final(engine, cut, end))
    counts.add(count_waiting(engine, start, end))
    return counts
