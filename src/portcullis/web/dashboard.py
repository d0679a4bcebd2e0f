"""The oversight dashboard: a year per week or month, per agency and program, backlog, refusal
reasons, recalls, program status and checkpoint freshness; each table also as CSV."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request, Response

from portcullis.programs import list_programs
from portcullis.web.access import PREFIX, Viewer, admit
from portcullis.web.figures_csv import TABLES, figures_csv, parse_table
from portcullis.web.glance import PERIODS, Glance, Period, decision_years, glance
from portcullis.web.oversight import charts, recalls, release_count
from portcullis.web.queue_view import age_text
from portcullis.web.session import gateway_of
from portcullis.web.templates import SECURITY_HEADERS, render

router = APIRouter()


def _period(text: str | None) -> Period:
    for period in PERIODS:
        if period == text:
            return period
    return "month"


def _glance(
    request: Request, year: int | None, period: str | None
) -> tuple[Glance, tuple[int, ...]]:
    gateway = gateway_of(request)
    years = decision_years(gateway.engine)
    chosen = year or next(iter(years), dt.datetime.now(dt.UTC).year)
    found = glance(gateway.engine, chosen, _period(period), ledger_size=gateway.ledger.size())
    return found, years or (chosen,)


@router.get(f"{PREFIX}/dashboard")
def dashboard_page(
    request: Request, year: int | None = None, period: str | None = None
) -> Response:
    """Show the chosen year's figures (the newest year with decisions, per month, by default)."""
    viewer = admit(request, "dashboard")
    if not isinstance(viewer, Viewer):
        return viewer
    engine = gateway_of(request).engine
    figures, years = _glance(request, year, period)
    released, recalled = release_count(engine)
    return render(
        "dashboard.html",
        viewer=viewer,
        figures=figures,
        years=years if figures.year in years else (figures.year, *years),
        periods=PERIODS,
        tables=TABLES,
        charts=charts(figures),
        programs=list_programs(engine),
        recalls=recalls(engine),
        released=released,
        recalled=recalled,
        age=lambda since: age_text(since, dt.datetime.now(dt.UTC)),
    )


@router.get(f"{PREFIX}/dashboard/{{table}}.csv")
def dashboard_csv(
    request: Request, table: str, year: int | None = None, period: str | None = None
) -> Response:
    """Download one of the dashboard's tables for the year as CSV."""
    viewer = admit(request, "dashboard")
    if not isinstance(viewer, Viewer):
        return viewer
    chosen = parse_table(table)
    if chosen is None:
        return Response(
            f"no table {table!r}; choose one of {', '.join(TABLES)}",
            status_code=404,
            media_type="text/plain",
        )
    figures, _ = _glance(request, year, period)
    name = f"portcullis-{table}-{figures.year}-{figures.period}.csv"
    return Response(
        figures_csv(figures, chosen),
        media_type="text/csv; charset=utf-8",
        headers={**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
    )
