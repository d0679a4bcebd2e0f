"""Reconcile requests refused as a whole (intake_events) with their ledger entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from portcullis.aftercare.moments import as_utc
from portcullis.audit.findings import Finding
from portcullis.audit.ledger_view import LedgerView
from portcullis.entries import intake_refusal_entry
from portcullis.store.tables import intake_events

TABLE = "intake_events"
_PREFIX = "intake/"


@dataclass(slots=True)
class IntakeAudit:
    """The findings of the intake reconciliation and how many refusals it read."""

    findings: list[Finding]
    refusals: int


def _check_event(row: Mapping[str, Any], view: LedgerView) -> Finding | None:
    where = f"id={row['id']} (file {row['file_name']})"
    index = view.keys.get(f"{_PREFIX}{row['id']}")
    if index is None:
        return Finding(TABLE, where, row["ledger_index"], "the refusal is not in the ledger")
    if row["ledger_index"] not in (None, index):
        return Finding(TABLE, where, index, f"the row points at entry {row['ledger_index']}")
    entry = view.entries[index]
    expected = intake_refusal_entry(
        request_id=row["request_id"],
        program_id=row["program_id"],
        file_sha256=row["file_sha256"],
        code=row["code"],
        reason=row["reason"],
        received_at=row["received_at"],
    )
    wrong = [
        name for name in expected if name != "decided_at" and expected[name] != entry.get(name)
    ]
    if as_utc(row["received_at"]) != as_utc(dt.datetime.fromisoformat(str(entry["decided_at"]))):
        wrong.append("received_at")
    if wrong:
        return Finding(
            TABLE,
            where,
            index,
            f"the refusal disagrees with its ledger entry in {', '.join(wrong)}",
        )
    return None


def reconcile_intake(conn: Connection, view: LedgerView) -> IntakeAudit:
    """Check every refused submission against its entry, and every refusal entry against a row."""
    audit = IntakeAudit([], 0)
    query = select(intake_events).where(intake_events.c.accepted.is_(False))
    seen: set[str] = set()
    for mapping in conn.execute(query.order_by(intake_events.c.id)).mappings():
        audit.refusals += 1
        seen.add(f"{_PREFIX}{mapping['id']}")
        finding = _check_event(dict(mapping), view)
        if finding is not None:
            audit.findings.append(finding)
    for key, index in sorted(view.keys.items(), key=lambda pair: pair[1]):
        if key.startswith(_PREFIX) and key not in seen:
            entry = view.entries[index]
            audit.findings.append(
                Finding(
                    TABLE,
                    f"id={key.removeprefix(_PREFIX)} (request {entry.get('request_id')})",
                    index,
                    "the ledger records a refused request that has no row (deleted)",
                )
            )
    return audit
