"""The oversight dashboard: the year's accounting as charts, program status and recalls."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request, Response

from portcullis.accounting import accounting_rows
from portcullis.programs import list_programs
from portcullis.web.access import PREFIX, Viewer, admit
from portcullis.web.oversight import oversight, recalls, release_count, years_of
from portcullis.web.session import gateway_of
from portcullis.web.templates import render

router = APIRouter()


@router.get(f"{PREFIX}/dashboard")
def dashboard_page(request: Request, year: int | None = None) -> Response:
    """Show the chosen year's figures (the newest year with decisions by default)."""
    viewer = admit(request, "dashboard")
    if not isinstance(viewer, Viewer):
        return viewer
    engine = gateway_of(request).engine
    rows = list(accounting_rows(engine))
    chosen = year or next(iter(years_of(rows)), dt.datetime.now(dt.UTC).year)
    return render(
        "dashboard.html",
        viewer=viewer,
        figures=oversight(rows, chosen),
        programs=list_programs(engine),
        recalls=recalls(engine),
        releases_ever=release_count(engine),
    )
