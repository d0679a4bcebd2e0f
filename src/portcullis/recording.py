"""Record decisions: state rows first (the sequence), then entries under a witnessed checkpoint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import Engine

from portcullis.contract.records import RequestItem
from portcullis.decisions import Decision
from portcullis.entries import decision_entry
from portcullis.ledger.integrator import Sequenced
from portcullis.programs import Program, get_program
from portcullis.store.tables import check_records, decisions, items, requests

if TYPE_CHECKING:
    from portcullis.gateway import Gateway

AUTOMATIC = "portcullis (automatic)"


def approval_text(program: Program) -> str | None:
    """Name the standing approval that covers the program's automatic releases."""
    approval = program.standing_approval
    if approval is None:
        return None
    return f"{approval.official}, {approval.title} ({approval.delegation_order})"


def record_decisions(
    gateway: Gateway,
    request: dict[str, Any],
    program: Program,
    decided: Sequence[tuple[dict[str, Any], RequestItem, Decision]],
    *,
    checks: Sequence[dict[str, Any]] = (),
    now: dt.datetime | None = None,
) -> None:
    """Store the items' checks and new decisions in one transaction, then wait for the checkpoint.

    The stored row is the decision's place in the sequence: a crash before the ledger write is
    repaired by the next round from the stored decision (never recomputed), and the ledger's
    decision key makes that write once. `checks` are check records; those of items already
    checked are kept as they are.
    """
    decided_at = now or dt.datetime.now(dt.UTC)
    store_outcomes(gateway, program, checks, decided, decided_at)
    commit_request(gateway, str(request["request_id"]), program, entries=len(decided))


def store_outcomes(
    gateway: Gateway,
    program: Program,
    checks: Sequence[dict[str, Any]],
    decided: Sequence[tuple[dict[str, Any], RequestItem, Decision]],
    decided_at: dt.datetime,
) -> None:
    """Write new check records and decisions, and the items' stages, in one transaction."""
    pks = [c["item_pk"] for c in checks] + [row["id"] for row, _, _ in decided]
    if not pks:
        return
    with gateway.engine.begin() as con:
        # A write first: the transaction holds the write lock before it reads what is stored,
        # so a racing writer queues instead of invalidating these reads.
        con.execute(
            items.update()
            .where(items.c.id.in_(pks), items.c.stage == "received")
            .values(stage="checked")
        )
        if checks:
            kept = _stored_pks(con, check_records.c.item_pk, [c["item_pk"] for c in checks])
            new = [c for c in checks if c["item_pk"] not in kept]
            if new:
                con.execute(check_records.insert(), new)
        if not decided:
            return
        existing = _stored_pks(con, decisions.c.item_pk, [row["id"] for row, _, _ in decided])
        fresh = [entry for entry in decided if entry[0]["id"] not in existing]
        if not fresh:
            return
        con.execute(decisions.insert(), [_row(program, row, d, decided_at) for row, _, d in fresh])
        for stage in ("decided", "held"):
            staged = [row["id"] for row, _, d in fresh if (d.is_final == (stage == "decided"))]
            if staged:
                con.execute(items.update().where(items.c.id.in_(staged)).values(stage=stage))


def _stored_pks(con: sa.Connection, column: sa.Column[Any], pks: Sequence[int]) -> set[int]:
    return {int(pk) for (pk,) in con.execute(sa.select(column).where(column.in_(pks)))}


def _row(
    program: Program, row: dict[str, Any], decision: Decision, decided_at: dt.datetime
) -> dict[str, Any]:
    match = decision.match
    address = match.address if match is not None else None
    return {
        "item_pk": row["id"],
        "outcome": decision.outcome,
        "reason_codes": ";".join(decision.reason_codes),
        "tin": match.tin if match is not None and address is not None else None,
        "address": _address_json(address) if address is not None else None,
        "address_tax_year": address.tax_year if address is not None else None,
        "match_score": match.score if match is not None else None,
        "match_evidence": match.evidence if match is not None else None,
        "model_version": match.model_version if match is not None else None,
        "decided_at": decided_at,
        "decided_by": AUTOMATIC,
        "approval": approval_text(program) if decision.outcome == "disclosed" else None,
    }


def _address_json(address: Any) -> dict[str, Any]:
    return {
        "street": address.street,
        "unit": address.unit,
        "city": address.city,
        "state": address.state,
        "zip": address.zip,
        "tax_year": address.tax_year,
    }


def write_pending_entries(gateway: Gateway, request: dict[str, Any], program: Program) -> None:
    """Have the integrator write every stored decision lacking a ledger entry, and checkpoint."""
    del request, program  # the integrator reads every pending decision, this request's included
    gateway.integrator.flush()


def commit_request(gateway: Gateway, request_id: str, program: Program, *, entries: int) -> None:
    """Wait until every decision of the request is under a checkpoint with the program's quorum."""
    query = (
        sa.select(decisions.c.ledger_index)
        .join(items, items.c.id == decisions.c.item_pk)
        .where(items.c.request_id == request_id)
    )

    def covered() -> bool:
        with gateway.engine.connect() as con:
            indexes = list(con.execute(query).scalars())
        if any(index is None for index in indexes):
            return False
        if not indexes:
            return True
        size = gateway.integrator.covering_size(program.witness_quorum, beyond=max(indexes))
        return size is not None and max(indexes) < size

    if not covered():
        gateway.integrator.commit(covered, entries=entries)


class DecisionSource:
    """The integrator's view of the decisions table: stored decisions waiting for a leaf index."""

    def __init__(self, engine: Engine, tin_hash_key: bytes) -> None:
        self.engine = engine
        self.tin_hash_key = tin_hash_key

    def pending(self, limit: int) -> list[Sequenced]:
        """Return up to `limit` decisions without a ledger index, in the order they were stored."""
        query = (
            stored_decisions()
            .where(decisions.c.ledger_index.is_(None))
            .order_by(decisions.c.item_pk)
            .limit(limit)
        )
        with self.engine.connect() as con:
            rows = [dict(row._mapping) for row in con.execute(query)]
        programs = {pid: get_program(self.engine, pid) for pid in {r["program_id"] for r in rows}}
        return [
            Sequenced(
                decision_ledger_key(row),
                decision_ledger_entry(self.tin_hash_key, programs[row["program_id"]], row),
                row["item_pk"],
            )
            for row in rows
        ]

    def settle(self, conn: sa.Connection, placed: Sequence[tuple[Sequenced, int]]) -> None:
        """Store the leaf index each decision received, in the ledger's append transaction."""
        update = (
            decisions.update()
            .where(decisions.c.item_pk == sa.bindparam("pk"))
            .values(ledger_index=sa.bindparam("index"))
        )
        conn.execute(update, [{"pk": s.token, "index": index} for s, index in placed])


def stored_decisions() -> sa.Select[Any]:
    """Select every stored decision with the item and request fields its ledger entry carries."""
    return (
        sa.select(
            decisions,
            items.c.row,
            items.c.item_id,
            items.c.record,
            items.c.officers,
            items.c.request_id,
            requests.c.program_id,
        )
        .join(items, items.c.id == decisions.c.item_pk)
        .join(requests, requests.c.request_id == items.c.request_id)
    )


def decision_ledger_key(row: Mapping[str, Any]) -> str:
    """Return the ledger's idempotency key for a row of `stored_decisions()`."""
    return (
        f"decision/{row['request_id']}/{row['row']}/{row['outcome']}/"
        f"{row['decided_at'].isoformat()}"
    )


def decision_ledger_entry(
    tin_hash_key: bytes, program: Program, row: Mapping[str, Any]
) -> dict[str, object]:
    """Build the ledger entry of a row of `stored_decisions()`: the only place it is built."""
    request_id = row["request_id"]
    disclosed = row["outcome"] == "disclosed"
    address = row["address"] if disclosed else None
    match_summary = None
    if row["match_score"] is not None:
        match_summary = {"score": row["match_score"], "model_version": row["model_version"]}
    return decision_entry(
        key=tin_hash_key,
        request_id=request_id,
        program_id=program.id,
        program_version=program.version,
        row=row["row"],
        item_id=row["item_id"],
        statute=row["record"].get("statute"),
        officers=[part for part in (row["officers"] or "").split(";") if part],
        outcome=row["outcome"],
        reason_codes=[code for code in row["reason_codes"].split(";") if code],
        tin=row["tin"] if disclosed else None,
        released=address,
        match_summary=match_summary,
        approval=row["approval"],
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
    )
