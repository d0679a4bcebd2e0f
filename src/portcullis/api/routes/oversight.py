"""Oversight: the accounting export, the annual report and the access log, for auditors."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request, Response

from portcullis.accounting import export_accounting
from portcullis.aftercare.annual import FIRST_REPORT_YEAR, LAST_REPORT_YEAR, annual_report_for
from portcullis.api.params import MAX_KEY
from portcullis.api.road import gateway_of
from portcullis.api.schemas import AccessOut
from portcullis.api.security import require
from portcullis.api.tables import access_log
from portcullis.auth import Principal
from portcullis.reports.annual import write_annual_csv

router = APIRouter(prefix="/v1/oversight", tags=["oversight"])

Auditor = Annotated[Principal, Depends(require("auditor"))]
CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "A CSV file"}
}


@router.get("/accounting", response_class=Response, responses=CSV, summary="Accounting export")
def get_accounting(request: Request, principal: Auditor) -> Response:
    """Return the accounting export of every decision and whole-request refusal as CSV."""
    return _csv(lambda path: export_accounting(gateway_of(request).engine, path), "accounting")


@router.get("/annual", response_class=Response, responses=CSV, summary="Annual report")
def get_annual(
    request: Request,
    principal: Auditor,
    year: Annotated[int, Query(ge=FIRST_REPORT_YEAR, le=LAST_REPORT_YEAR)],
) -> Response:
    """Return the annual report's figures per agency and program as CSV."""
    report = annual_report_for(gateway_of(request), year)
    return _csv(lambda path: write_annual_csv(report, path), f"annual-{year}")


@router.get("/access-log", response_model=list[AccessOut], summary="Access log")
def get_access_log(
    request: Request,
    principal: Auditor,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    before: Annotated[int | None, Query(ge=1, le=MAX_KEY)] = None,
) -> list[AccessOut]:
    """Return access-log rows newest first, optionally those before a row id."""
    query = sa.select(access_log).order_by(access_log.c.id.desc()).limit(limit)
    if before is not None:
        query = query.where(access_log.c.id < before)
    with gateway_of(request).engine.connect() as con:
        rows = con.execute(query).all()
    return [
        AccessOut(
            at=_aware(r.at),
            principal=r.principal,
            client=r.client,
            method=r.method,
            path=r.path,
            status=r.status,
        )
        for r in rows
    ]


def _csv(write: Callable[[Path], object], stem: str) -> Response:
    with tempfile.TemporaryDirectory(prefix="portcullis-report-") as folder:
        path = Path(folder) / f"{stem}.csv"
        write(path)
        body = path.read_bytes()
    return Response(
        body,
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{stem}.csv"'},
    )


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
