"""Overdue disposals: releases past retention, or recalled, whose disposal is not confirmed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa

from portcullis.aftercare.moments import as_utc, start_of_day, utc_text
from portcullis.contract.spreadsheet import safe_csv_writer
from portcullis.errors import PortcullisError
from portcullis.gateway import Gateway
from portcullis.store.tables import items, releases, requests

RECALLED: Final = "recalled"
RETENTION_PASSED: Final = "retention passed"
OVERDUE_COLUMNS: Final = (
    "request_id",
    "row",
    "item_id",
    "requesting_agency",
    "program_id",
    "released_at",
    "retention_until",
    "recalled_at",
    "recall_reason",
    "why",
    "due",
    "days_overdue",
)


class OverdueReportUnwritable(PortcullisError):
    """The overdue-disposals report cannot be written where it was asked for."""


@dataclass(frozen=True, slots=True)
class OverdueDisposal:
    """One release whose data the recipient should have destroyed or returned by now."""

    request_id: str
    row: int
    item_id: str | None
    requesting_agency: str
    program_id: str
    released_at: dt.datetime
    retention_until: dt.date
    recalled_at: dt.datetime | None
    recall_reason: str | None
    why: str
    due: dt.date
    days_overdue: int


def overdue_disposals(gateway: Gateway, today: dt.date) -> list[OverdueDisposal]:
    """List releases recalled, or past retention on `today`, whose disposal is not confirmed."""
    query = (
        sa.select(
            releases,
            items.c.request_id,
            items.c.row,
            items.c.item_id,
            requests.c.requesting_agency,
            requests.c.program_id,
        )
        .join(items, items.c.id == releases.c.item_pk)
        .join(requests, requests.c.request_id == items.c.request_id)
        .where(
            releases.c.disposed_at.is_(None),
            sa.or_(
                releases.c.recalled_at.is_not(None),
                # The retention date is the last day the recipient may hold the data.
                releases.c.retention_until < start_of_day(today),
            ),
        )
        .order_by(items.c.request_id, items.c.row)
    )
    with gateway.engine.connect() as con:
        return [_overdue(row, today) for row in con.execute(query)]


def _overdue(row: sa.Row[Any], today: dt.date) -> OverdueDisposal:
    retention = as_utc(row.retention_until).date()
    recalled = as_utc(row.recalled_at) if row.recalled_at is not None else None
    due = min(retention, recalled.date()) if recalled is not None else retention
    return OverdueDisposal(
        request_id=row.request_id,
        row=row.row,
        item_id=row.item_id,
        requesting_agency=row.requesting_agency or "",
        program_id=row.program_id,
        released_at=as_utc(row.released_at),
        retention_until=retention,
        recalled_at=recalled,
        recall_reason=row.recall_reason,
        why=RECALLED if recalled is not None else RETENTION_PASSED,
        due=due,
        days_overdue=max((today - due).days, 0),
    )


def write_overdue_csv(overdue: Iterable[OverdueDisposal], path: Path) -> int:
    """Write the overdue disposals as CSV, one row each, and return how many were written."""
    count = 0
    try:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = safe_csv_writer(handle)
            writer.writerow(OVERDUE_COLUMNS)
            for late in overdue:
                writer.writerow(
                    [
                        late.request_id,
                        late.row,
                        late.item_id or "",
                        late.requesting_agency,
                        late.program_id,
                        utc_text(late.released_at),
                        late.retention_until.isoformat(),
                        utc_text(late.recalled_at) if late.recalled_at else "",
                        late.recall_reason or "",
                        late.why,
                        late.due.isoformat(),
                        late.days_overdue,
                    ]
                )
                count += 1
    except OSError as exc:
        raise OverdueReportUnwritable(f"cannot write {path}: {exc}") from exc
    return count
