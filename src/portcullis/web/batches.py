"""Read requests, their progress and their outcomes from the state database for the pages."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine

from portcullis.store.tables import decisions, items, requests
from portcullis.store.tallies import decision_tallies

FINAL_OUTCOMES = ("disclosed", "refused", "no_match", "ambiguous")


@dataclass(frozen=True, slots=True)
class RequestSummary:
    """One request as the pages list it: identity, status, progress and outcome counts."""

    request_id: str
    program_id: str
    requesting_agency: str
    status: str
    item_count: int
    received_at: dt.datetime
    finished_at: dt.datetime | None
    refusal_code: str | None
    refusal_reason: str | None
    outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def decided(self) -> int:
        """Items processed so far: every item with a decision, held ones included."""
        return sum(self.outcomes.values())

    @property
    def refused(self) -> int:
        """Items refused so far."""
        return self.outcomes.get("refused", 0)

    @property
    def refusal_rate(self) -> float | None:
        """Refused items as a share of decided items, or None before any decision."""
        return self.refused / self.decided if self.decided else None

    @property
    def running(self) -> bool:
        """Whether the request is still being worked on by the road."""
        return self.status in ("received", "processing")


@dataclass(frozen=True, slots=True)
class ItemLine:
    """One item of a request as the detail page shows it (no taxpayer data)."""

    row: int
    item_id: str | None
    stage: str
    outcome: str | None
    reason_codes: tuple[str, ...]
    decided_by: str | None
    decided_at: dt.datetime | None
    ledger_index: int | None


def _outcome_counts(
    engine: Engine, shown: Mapping[str, tuple[str, int]]
) -> dict[str, dict[str, int]]:
    """Count outcomes per request from the database's tallies; `shown` names the requests."""
    tallied = decision_tallies.c
    query = (
        sa.select(tallied.request_id, tallied.outcome, sa.func.sum(tallied["items"]))
        .where(tallied.request_id.in_(list(shown)))
        .group_by(tallied.request_id, tallied.outcome)
    )
    counts: dict[str, dict[str, int]] = {rid: {} for rid in shown}
    if shown:
        with engine.connect() as con:
            for request_id, outcome, number in con.execute(query):
                if int(number):
                    counts[request_id][outcome] = int(number)
    return counts


def request_summaries(engine: Engine, *, limit: int = 200) -> list[RequestSummary]:
    """Return the newest requests first, each with its outcome counts so far."""
    with engine.connect() as con:
        rows = con.execute(
            sa.select(requests).order_by(requests.c.received_at.desc()).limit(limit)
        ).all()
    counts = _outcome_counts(engine, {row.request_id: (row.status, row.item_count) for row in rows})
    return [
        RequestSummary(
            request_id=row.request_id,
            program_id=row.program_id,
            requesting_agency=row.requesting_agency or "",
            status=row.status,
            item_count=row.item_count,
            received_at=row.received_at,
            finished_at=row.finished_at,
            refusal_code=row.refusal_code,
            refusal_reason=row.refusal_reason,
            outcomes=counts[row.request_id],
        )
        for row in rows
    ]


def request_summary(engine: Engine, request_id: str) -> RequestSummary | None:
    """Return one request with its outcome counts, or None if there is no such request."""
    with engine.connect() as con:
        row = con.execute(sa.select(requests).where(requests.c.request_id == request_id)).first()
    if row is None:
        return None
    return RequestSummary(
        request_id=row.request_id,
        program_id=row.program_id,
        requesting_agency=row.requesting_agency or "",
        status=row.status,
        item_count=row.item_count,
        received_at=row.received_at,
        finished_at=row.finished_at,
        refusal_code=row.refusal_code,
        refusal_reason=row.refusal_reason,
        outcomes=_outcome_counts(engine, {request_id: (row.status, row.item_count)})[request_id],
    )


def request_items(
    engine: Engine, request_id: str, *, offset: int = 0, limit: int | None = None
) -> list[ItemLine]:
    """Return (a page of) the items of a request in file order, with their decision if any."""
    query = (
        sa.select(
            items.c.row,
            items.c.item_id,
            items.c.stage,
            decisions.c.outcome,
            decisions.c.reason_codes,
            decisions.c.decided_by,
            decisions.c.decided_at,
            decisions.c.ledger_index,
        )
        .outerjoin(decisions, decisions.c.item_pk == items.c.id)
        .where(items.c.request_id == request_id)
        .order_by(items.c.row)
        .offset(offset)
        .limit(limit)
    )
    with engine.connect() as con:
        rows = con.execute(query).all()
    return [
        ItemLine(
            row=row.row,
            item_id=row.item_id,
            stage=row.stage,
            outcome=row.outcome,
            reason_codes=tuple(c for c in (row.reason_codes or "").split(";") if c),
            decided_by=row.decided_by,
            decided_at=row.decided_at,
            ledger_index=row.ledger_index,
        )
        for row in rows
    ]


def reason_counts(engine: Engine, request_id: str) -> Counter[str]:
    """Count the reason codes of a request's items, each code once per item."""
    # From the tallies, grouped by the stored code list; the few distinct lists are split here.
    tallied = decision_tallies.c
    query = (
        sa.select(tallied.reason_codes, sa.func.sum(tallied["items"]))
        .where(tallied.request_id == request_id, tallied.reason_codes != "")
        .group_by(tallied.reason_codes)
    )
    with engine.connect() as con:
        return tally_codes(con.execute(query))


def tally_codes(groups: Iterable[Sequence[Any]]) -> Counter[str]:
    """Count each code once per item from (';'-separated code list, number of items) pairs."""
    counts: Counter[str] = Counter()
    for codes, number in groups:
        for code in {c for c in str(codes).split(";") if c}:
            counts[code] += int(number)
    return counts


def item_reference(engine: Engine, item_pk: int) -> tuple[str, str | None] | None:
    """Return the request id and the requester's item id of an item, or None if unknown."""
    with engine.connect() as con:
        row = con.execute(
            sa.select(items.c.request_id, items.c.item_id).where(items.c.id == item_pk)
        ).first()
    return None if row is None else (row.request_id, row.item_id)
