"""The accounting from the state database: a row per item decision and per refused request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Engine

from portcullis.reports.accounting import write_accounting_csv
from portcullis.reports.rows import AccountingRow
from portcullis.reports.totals import REQUEST_REFUSED
from portcullis.store.tables import decisions, intake_events, items, requests

STREAM_ROWS = 5_000


def accounting_rows(engine: Engine) -> Iterator[AccountingRow]:
    """Yield every decision in ledger order, then every request refused as a whole."""
    query = (
        sa.select(
            decisions,
            items.c.request_id,
            items.c.item_id,
            items.c.row,
            items.c.record,
            requests.c.requesting_agency,
            requests.c.program_id,
        )
        .join(items, items.c.id == decisions.c.item_pk)
        .join(requests, requests.c.request_id == items.c.request_id)
        .order_by(decisions.c.ledger_index, items.c.request_id, items.c.row)
    )
    with engine.connect() as con:
        for row in con.execution_options(yield_per=STREAM_ROWS).execute(query):
            address = row.address or {}
            yield AccountingRow(
                request_id=row.request_id,
                item_id=row.item_id or "",
                outcome=row.outcome,
                reason_codes=tuple(code for code in row.reason_codes.split(";") if code),
                tin=row.tin,
                street=address.get("street"),
                unit=address.get("unit"),
                city=address.get("city"),
                state=address.get("state"),
                zip=address.get("zip"),
                address_tax_year=row.address_tax_year,
                match_score=row.match_score,
                decided_at=_aware(row.decided_at),
                decided_by=row.decided_by,
                ledger_index=row.ledger_index,
                requesting_agency=row.requesting_agency or "",
                program_id=row.program_id,
                statute=str((row.record or {}).get("statute") or ""),
                item_row=row.row,
            )
    yield from refused_request_rows(engine)


def refused_request_rows(engine: Engine) -> Iterator[AccountingRow]:
    """Yield one accounting row per request refused as a whole, in the order they arrived."""
    refused = sa.select(intake_events).where(intake_events.c.accepted.is_(False))
    with engine.connect() as con:
        for event in con.execute(refused.order_by(intake_events.c.id)):
            yield AccountingRow(
                request_id=event.request_id or f"(unnamed {event.file_sha256[:12]})",
                item_id="",
                outcome="refused",
                reason_codes=(event.code or REQUEST_REFUSED,),
                tin=None,
                street=None,
                unit=None,
                city=None,
                state=None,
                zip=None,
                address_tax_year=None,
                match_score=None,
                decided_at=_aware(event.received_at),
                decided_by="portcullis intake",
                ledger_index=event.ledger_index,
                requesting_agency="",
                program_id=event.program_id or "",
                statute="",
            )


def export_accounting(engine: Engine, path: Path) -> int:
    """Write the accounting export of CONTRACT.md section 5 to `path`; return the rows written."""
    return write_accounting_csv(accounting_rows(engine), path)


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
