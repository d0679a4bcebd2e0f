"""The reviewer's queue: held items with their evidence, and settling them through the same road."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from portcullis.errors import PortcullisError
from portcullis.gateway import Gateway
from portcullis.programs import get_program
from portcullis.recording import write_pending_entries
from portcullis.releasing import release_ready
from portcullis.review_backlog import DEFAULT_SORT, sort_key
from portcullis.review_claims import (
    ItemClaimedByAnother,
    refuse_if_claimed_by_another,
    release_claims,
)
from portcullis.store.tables import check_records, decisions, items, requests

REVIEWER_REFUSED = "reviewer_refused"


class ReviewNotPossible(PortcullisError):
    """The item is not waiting for review, or the review lacks what it needs."""


@dataclass(frozen=True, slots=True)
class HeldItem:
    """One item waiting for a reviewer, with everything the reviewer must see."""

    item_pk: int
    request_id: str
    row: int
    item_id: str | None
    reason_codes: tuple[str, ...]
    request_item: dict[str, Any]  # the item as the requester sent it (normalised)
    candidate: dict[str, Any] | None  # the candidate taxpayer's last known address in scope
    match_score: float | None
    evidence: dict[str, Any] | None  # field levels and weights, the runner-up
    findings: list[dict[str, Any]]


def _held_query() -> sa.Select[Any]:
    return (
        sa.select(
            decisions,
            items.c.request_id,
            items.c.row,
            items.c.item_id,
            items.c.record,
            check_records.c.findings,
        )
        .join(items, items.c.id == decisions.c.item_pk)
        .outerjoin(check_records, check_records.c.item_pk == decisions.c.item_pk)
        .where(decisions.c.outcome == "pending_review")
    )


def _held(row: sa.Row[Any]) -> HeldItem:
    return HeldItem(
        item_pk=row.item_pk,
        request_id=row.request_id,
        row=row.row,
        item_id=row.item_id,
        reason_codes=tuple(c for c in row.reason_codes.split(";") if c),
        request_item=dict(row.record),
        candidate=({**row.address, "tin": row.tin} if row.address else None),
        match_score=row.match_score,
        evidence=row.match_evidence,
        findings=list(row.findings or []),
    )


def review_queue(gateway: Gateway, *, limit: int = 100) -> list[HeldItem]:
    """Return the items waiting for a reviewer in the working list's default (priority) order."""
    # The same order as the web list: what a reviewer can settle from the screen first, then the
    # likeliest release, the first held first among equals.
    key, ascending = sort_key(DEFAULT_SORT)
    query = _held_query().order_by(
        key if ascending else key.desc(),
        decisions.c.item_pk if ascending else decisions.c.item_pk.desc(),
    )
    with gateway.engine.connect() as con:
        rows = con.execute(query.limit(limit)).all()
    return [_held(row) for row in rows]


def held_item(gateway: Gateway, item_pk: int) -> HeldItem | None:
    """Return one item waiting for a reviewer with its evidence, or None if it is not held."""
    with gateway.engine.connect() as con:
        row = con.execute(_held_query().where(decisions.c.item_pk == item_pk)).first()
    return None if row is None else _held(row)


def settle_review(
    gateway: Gateway,
    item_pk: int,
    *,
    reviewer: str,
    approve: bool,
    reason: str,
    now: dt.datetime | None = None,
) -> str:
    """Turn a held item into a final decision by a named reviewer, record it, release if allowed.

    Approval discloses the candidate the match found (never another); refusal records the
    reviewer's reason. Either way the new decision gets its own ledger entry. An item another
    reviewer has claimed (and whose claim still runs) is refused.
    """
    if not reviewer.strip():
        raise ReviewNotPossible("a review must name the reviewer")
    if not reason.strip():
        raise ReviewNotPossible("a review must give a reason")
    decided_at = now or dt.datetime.now(dt.UTC)
    with gateway.engine.begin() as con:
        row = con.execute(
            sa.select(decisions, items.c.request_id)
            .join(items, items.c.id == decisions.c.item_pk)
            .where(decisions.c.item_pk == item_pk)
            .with_for_update()
        ).first()
        if row is None or row.outcome != "pending_review":
            raise ReviewNotPossible(f"item {item_pk} is not waiting for review")
        if approve and (row.tin is None or row.address is None):
            raise ReviewNotPossible(f"item {item_pk} has no candidate taxpayer to release")
        try:
            refuse_if_claimed_by_another(con, item_pk, reviewer, decided_at)
        except ItemClaimedByAnother as exc:
            raise ReviewNotPossible(str(exc)) from exc
        release_claims(con, item_pk)
        outcome = "disclosed" if approve else "refused"
        con.execute(
            decisions.update()
            .where(decisions.c.item_pk == item_pk)
            .values(
                outcome=outcome,
                reason_codes="" if approve else REVIEWER_REFUSED,
                decided_at=decided_at,
                decided_by=reviewer,
                approval=f"{reviewer} (review: {reason.strip()})" if approve else None,
                ledger_index=None,
            )
        )
        con.execute(items.update().where(items.c.id == item_pk).values(stage="decided"))
        request = (
            con.execute(sa.select(requests).where(requests.c.request_id == row.request_id))
            .one()
            ._mapping
        )
    program = get_program(gateway.engine, request["program_id"])
    write_pending_entries(gateway, dict(request), program)
    if approve:
        # Only an approval adds an address to release; a refusal leaves nothing to seal.
        release_ready(gateway, row.request_id, now=decided_at)
    return outcome
