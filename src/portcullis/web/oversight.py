"""The dashboard's charts from the year's figures, and the recalled releases."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy import Engine

from portcullis.reports.charts import Bar, render_bar_chart
from portcullis.reports.rows import DISCLOSED
from portcullis.store.tables import items, releases
from portcullis.web.glance import COUNTED, Glance

RECALLS_SHOWN = 50


@dataclass(frozen=True, slots=True)
class Recall:
    """One release that was recalled, and whether the recipient confirmed disposal."""

    request_id: str
    item_id: str | None
    released_at: dt.datetime
    recalled_at: dt.datetime
    reason: str | None
    disposed_at: dt.datetime | None


def charts(glance: Glance) -> tuple[tuple[str, Markup], ...]:
    """Draw the dashboard's charts from the year's figures (titled and described SVG)."""
    year, per = glance.year, glance.period
    total = glance.total.outcomes
    by_period: dict[str, Counter[str]] = {}
    by_agency: dict[str, Counter[str]] = {}
    for figures in glance.rows:
        by_period.setdefault(figures.period, Counter()).update(figures.outcomes)
        name = f"{figures.requesting_agency or '(refused at intake)'} · {figures.program_id}"
        by_agency.setdefault(name, Counter()).update(figures.outcomes)
    per_period = f"One bar per {per} with decisions, giving"
    specs: tuple[tuple[str, str, str, list[Bar]], ...] = (
        (
            "items-by-outcome",
            f"Items by outcome, {year}",
            "One bar per outcome, giving the number of items decided that way.",
            [Bar(o.replace("_", " "), total[o]) for o in COUNTED],
        ),
        (
            "refusals-by-reason",
            f"Refusals by reason, {year}",
            "One bar per reason code, giving the refusals that carry it.",
            [Bar(code, count) for code, count in glance.refusal_reasons],
        ),
        (
            "releases-by-agency",
            f"Releases per agency and program, {year}",
            "One bar per requesting agency and program, giving the addresses released.",
            [Bar(name, counts[DISCLOSED]) for name, counts in by_agency.items()],
        ),
        (
            f"items-per-{per}",
            f"Items decided per {per}, {year}",
            f"{per_period} the items decided.",
            [Bar(name, sum(counts.values())) for name, counts in by_period.items()],
        ),
        (
            f"releases-per-{per}",
            f"Addresses released per {per}, {year}",
            f"{per_period} the addresses released.",
            [Bar(name, counts[DISCLOSED]) for name, counts in by_period.items()],
        ),
    )
    return tuple(
        (title, render_bar_chart(chart_id, title, description, bars))
        for chart_id, title, description, bars in specs
    )


def recalls(engine: Engine, *, limit: int = RECALLS_SHOWN) -> list[Recall]:
    """Return the newest recalled releases, newest recall first."""
    query = (
        sa.select(releases, items.c.request_id, items.c.item_id)
        .join(items, items.c.id == releases.c.item_pk)
        .where(releases.c.recalled_at.is_not(None))
        .order_by(releases.c.recalled_at.desc())
        .limit(limit)
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


def release_count(engine: Engine) -> tuple[int, int]:
    """Return the number of packages ever released, and how many of them were recalled."""
    query = sa.select(sa.func.count(), sa.func.count(releases.c.recalled_at)).select_from(releases)
    with engine.connect() as con:
        released, recalled = con.execute(query).one()
    return int(released), int(recalled)
