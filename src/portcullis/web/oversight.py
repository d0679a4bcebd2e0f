"""Oversight figures: the year's accounting per agency and program, by reason and day; recalls."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy import Engine

from portcullis.reports.annual import AnnualReport, annual_report
from portcullis.reports.charts import Bar, render_bar_chart
from portcullis.reports.rows import OUTCOMES, REFUSED, AccountingRow
from portcullis.store.tables import items, releases

DAYS_SHOWN = 31


@dataclass(frozen=True, slots=True)
class Recall:
    """One release that was recalled, and whether the recipient confirmed disposal."""

    request_id: str
    item_id: str | None
    released_at: dt.datetime
    recalled_at: dt.datetime
    reason: str | None
    disposed_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Oversight:
    """Everything the dashboard shows for one year, charts already drawn."""

    year: int
    years: tuple[int, ...]
    report: AnnualReport
    refusals_by_reason: tuple[tuple[str, int], ...]
    charts: tuple[tuple[str, Markup], ...]


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def years_of(rows: Sequence[AccountingRow]) -> tuple[int, ...]:
    """Return the calendar years (UTC) in which decisions were made, newest first."""
    return tuple(sorted({_utc(row.decided_at).year for row in rows}, reverse=True))


def refusals_by_reason(rows: Sequence[AccountingRow], year: int) -> tuple[tuple[str, int], ...]:
    """Count the reason codes of the year's refusals, most frequent first."""
    counts = Counter(
        code
        for row in rows
        if row.outcome == REFUSED and _utc(row.decided_at).year == year
        for code in set(row.reason_codes)
    )
    return tuple(counts.most_common())


def per_day(rows: Sequence[AccountingRow], year: int) -> list[tuple[str, int, int]]:
    """Return (day, items decided, addresses released) for the year's latest days with decisions."""
    decided: Counter[str] = Counter()
    released: Counter[str] = Counter()
    for row in rows:
        moment = _utc(row.decided_at)
        if moment.year != year:
            continue
        day = moment.date().isoformat()
        decided[day] += 1
        released[day] += row.disclosed
    days = sorted(decided)[-DAYS_SHOWN:]
    return [(day, decided[day], released[day]) for day in days]


def oversight(rows: Sequence[AccountingRow], year: int) -> Oversight:
    """Compute the year's figures from the accounting rows and draw the dashboard's charts."""
    report = annual_report(rows, year)
    reasons = refusals_by_reason(rows, year)
    days = per_day(rows, year)
    total = report.total
    by_outcome = (
        total.releases,
        total.refusals,
        total.no_match,
        total.ambiguous,
        total.pending_review,
    )
    label = [f"{f.requesting_agency} · {f.program_id}" for f in report.agencies]
    agencies = report.agencies
    per_agency = "One bar per requesting agency and program, giving"
    per_days = f"One bar per day with decisions (the latest {DAYS_SHOWN}), giving"
    specs: tuple[tuple[str, str, str, list[Bar]], ...] = (
        (
            "items-by-outcome",
            f"Items by outcome, {year}",
            "One bar per outcome, giving the number of items decided that way.",
            [Bar(o.replace("_", " "), n) for o, n in zip(OUTCOMES, by_outcome, strict=True)],
        ),
        (
            "refusals-by-reason",
            f"Refusals by reason, {year}",
            "One bar per reason code, giving the refusals that carry it.",
            [Bar(code, count) for code, count in reasons],
        ),
        (
            "releases-by-agency",
            f"Releases per agency and program, {year}",
            f"{per_agency} the addresses released.",
            [Bar(name, f.releases) for name, f in zip(label, agencies, strict=True)],
        ),
        (
            "taxpayers-by-agency",
            f"Taxpayers affected per agency and program, {year}",
            f"{per_agency} the distinct taxpayers whose address was released.",
            [Bar(name, f.taxpayers_affected) for name, f in zip(label, agencies, strict=True)],
        ),
        (
            "items-per-day",
            f"Items decided per day, {year}",
            f"{per_days} the items decided.",
            [Bar(day, n) for day, n, _ in days],
        ),
        (
            "releases-per-day",
            f"Addresses released per day, {year}",
            f"{per_days} the addresses released.",
            [Bar(day, n) for day, _, n in days],
        ),
    )
    charts = tuple(
        (title, render_bar_chart(chart_id, title, description, bars))
        for chart_id, title, description, bars in specs
    )
    return Oversight(
        year=year,
        years=years_of(rows) or (year,),
        report=report,
        refusals_by_reason=reasons,
        charts=charts,
    )


def recalls(engine: Engine) -> list[Recall]:
    """Return every recalled release, newest recall first."""
    query = (
        sa.select(releases, items.c.request_id, items.c.item_id)
        .join(items, items.c.id == releases.c.item_pk)
        .where(releases.c.recalled_at.is_not(None))
        .order_by(releases.c.recalled_at.desc())
    )
    with engine.connect() as con:
        return [
            Recall(
                request_id=row.request_id,
                item_id=row.item_id,
                released_at=row.released_at,
                recalled_at=row.recalled_at,
                reason=row.recall_reason,
                disposed_at=row.disposed_at,
            )
            for row in con.execute(query)
        ]


def release_count(engine: Engine) -> int:
    """Return the number of packages ever released."""
    with engine.connect() as con:
        return int(con.execute(sa.select(sa.func.count()).select_from(releases)).scalar_one())
