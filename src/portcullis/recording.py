"""Record decisions: state rows first, then one ledger entry each, then a witnessed checkpoint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from portcullis.contract.records import RequestItem
from portcullis.decisions import Decision
from portcullis.entries import decision_entry
from portcullis.gateway import Gateway
from portcullis.programs import Program
from portcullis.store.tables import decisions, items

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
    now: dt.datetime | None = None,
) -> None:
    """Store each new decision, write its ledger entry, then sign and witness a checkpoint.

    The state row comes first so that a crash before the ledger write is repaired on the next run
    from the stored decision (never recomputed); the ledger's decision key makes that write once.
    """
    decided_at = now or dt.datetime.now(dt.UTC)
    _store(gateway, program, decided, decided_at)
    write_pending_entries(gateway, request, program)


def _store(
    gateway: Gateway,
    program: Program,
    decided: Sequence[tuple[dict[str, Any], RequestItem, Decision]],
    decided_at: dt.datetime,
) -> None:
    if not decided:
        return
    with gateway.engine.begin() as con:
        existing = {
            pk
            for (pk,) in con.execute(
                sa.select(decisions.c.item_pk).where(
                    decisions.c.item_pk.in_([row["id"] for row, _, _ in decided])
                )
            )
        }
        fresh = [entry for entry in decided if entry[0]["id"] not in existing]
        if not fresh:
            return
        con.execute(decisions.insert(), [_row(program, row, d, decided_at) for row, _, d in fresh])
        for stage in ("decided", "held"):
            pks = [row["id"] for row, _, d in fresh if (d.is_final == (stage == "decided"))]
            if pks:
                con.execute(items.update().where(items.c.id.in_(pks)).values(stage=stage))


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
    """Write a ledger entry for every decision of the request that has none yet, then checkpoint."""
    query = (
        sa.select(decisions, items.c.row, items.c.item_id, items.c.record, items.c.officers)
        .join(items, items.c.id == decisions.c.item_pk)
        .where(items.c.request_id == request["request_id"], decisions.c.ledger_index.is_(None))
        .order_by(items.c.row)
    )
    with gateway.engine.connect() as con:
        pending = [dict(row._mapping) for row in con.execute(query)]
    if pending:
        batch = [
            (_decision_key(request["request_id"], row), _entry(gateway, request, program, row))
            for row in pending
        ]
        indexes = gateway.ledger.append_many(batch)
        with gateway.engine.begin() as con:
            for row, index in zip(pending, indexes, strict=True):
                con.execute(
                    decisions.update()
                    .where(decisions.c.item_pk == row["item_pk"])
                    .values(ledger_index=index)
                )
    gateway.ledger.checkpoint()
    gateway.ledger.request_cosignatures(gateway.witnesses)


def _decision_key(request_id: str, row: dict[str, Any]) -> str:
    return f"decision/{request_id}/{row['row']}/{row['outcome']}/{row['decided_at'].isoformat()}"


def _entry(
    gateway: Gateway, request: dict[str, Any], program: Program, row: dict[str, Any]
) -> dict[str, object]:
    disclosed = row["outcome"] == "disclosed"
    address = row["address"] if disclosed else None
    match_summary = None
    if row["match_score"] is not None:
        match_summary = {"score": row["match_score"], "model_version": row["model_version"]}
    return decision_entry(
        key=gateway.tin_hash_key,
        request_id=request["request_id"],
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
