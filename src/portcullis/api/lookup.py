"""Read-only views of the state database that the API answers from; nothing here decides."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import Engine

from portcullis.api.tables import submitters
from portcullis.jobs_tables import jobs
from portcullis.store.tables import decisions, items, releases, requests


@dataclass(frozen=True, slots=True)
class RequestView:
    """A request as stored, with its queue state and who submitted it."""

    request_id: str
    program_id: str
    requesting_agency: str | None
    status: str
    item_count: int
    decided: int
    received_at: dt.datetime
    finished_at: dt.datetime | None
    job_state: str | None
    submitted_by: str | None


@dataclass(frozen=True, slots=True)
class ItemView:
    """One item's stored outcome and whether its package is ready."""

    item_pk: int
    row: int
    item_id: str | None
    outcome: str | None
    reason_codes: tuple[str, ...]
    ledger_index: int | None
    package_path: str | None
    recalled: bool
    receipt: dict[str, object] | None = None


def find_request(engine: Engine, request_id: str) -> RequestView | None:
    """Return a request with its progress, or None when there is none of that id."""
    decided = (
        sa.select(sa.func.count())
        .select_from(decisions.join(items, items.c.id == decisions.c.item_pk))
        .where(items.c.request_id == request_id, decisions.c.outcome != "pending_review")
        .scalar_subquery()
    )
    query = (
        sa.select(requests, jobs.c.state.label("job_state"), submitters.c.account, decided)
        .outerjoin(jobs, jobs.c.request_id == requests.c.request_id)
        .outerjoin(submitters, submitters.c.request_id == requests.c.request_id)
        .where(requests.c.request_id == request_id)
    )
    with engine.connect() as con:
        row = con.execute(query).first()
    if row is None:
        return None
    return RequestView(
        request_id=row.request_id,
        program_id=row.program_id,
        requesting_agency=row.requesting_agency,
        status=row.status,
        item_count=row.item_count,
        decided=int(row[-1]),
        received_at=_aware(row.received_at),
        finished_at=_aware(row.finished_at) if row.finished_at else None,
        job_state=row.job_state,
        submitted_by=row.account,
    )


def request_ids(engine: Engine, *, agency: str | None, limit: int, offset: int) -> list[str]:
    """Return request ids newest first, only the agency's own when `agency` is given."""
    query = sa.select(requests.c.request_id).order_by(
        requests.c.received_at.desc(), requests.c.request_id
    )
    if agency is not None:
        query = query.where(requests.c.requesting_agency == agency)
    with engine.connect() as con:
        return [r for (r,) in con.execute(query.limit(limit).offset(offset))]


def request_items(engine: Engine, request_id: str) -> list[ItemView]:
    """Return every item of a request in row order, with its outcome if decided."""
    query = (
        sa.select(
            items.c.id,
            items.c.row,
            items.c.item_id,
            decisions.c.outcome,
            decisions.c.reason_codes,
            decisions.c.ledger_index,
            releases.c.package_path,
            releases.c.recalled_at,
            releases.c.receipt,
        )
        .outerjoin(decisions, decisions.c.item_pk == items.c.id)
        .outerjoin(releases, releases.c.item_pk == items.c.id)
        .where(items.c.request_id == request_id)
        .order_by(items.c.row)
    )
    with engine.connect() as con:
        rows = con.execute(query).all()
    return [
        ItemView(
            item_pk=row.id,
            row=row.row,
            item_id=row.item_id,
            outcome=row.outcome,
            reason_codes=tuple(c for c in (row.reason_codes or "").split(";") if c),
            ledger_index=row.ledger_index,
            package_path=row.package_path,
            recalled=row.recalled_at is not None,
            receipt=row.receipt,
        )
        for row in rows
    ]


def item_request_id(engine: Engine, item_pk: int) -> str | None:
    """Return the request an item belongs to."""
    with engine.connect() as con:
        found = con.execute(sa.select(items.c.request_id).where(items.c.id == item_pk)).first()
    return None if found is None else str(found[0])


def record_submitter(con: sa.Connection, request_id: str, account: str, agency: str | None) -> None:
    """Remember, in the caller's transaction, which account submitted a request."""
    con.execute(submitters.insert().values(request_id=request_id, account=account, agency=agency))


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
