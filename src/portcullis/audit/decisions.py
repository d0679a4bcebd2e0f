"""Reconcile decisions with the ledger: each row with its entry, each entry with its row."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from portcullis.audit.findings import Finding
from portcullis.audit.ledger_view import LedgerView
from portcullis.errors import PortcullisError
from portcullis.programs import Program
from portcullis.recording import decision_ledger_entry, decision_ledger_key, stored_decisions
from portcullis.store.tables import decisions

TABLE = "decisions"
# The entry records the program version current when it was written; later versions may differ.
_NOT_COMPARED = frozenset({"program_version"})
_SHOWN_FIELDS = frozenset({"outcome", "reason_codes", "decided_by", "row", "item_id", "request_id"})


@dataclass(frozen=True, slots=True)
class StoredDecision:
    """What the release and recall checks need to know of one stored decision."""

    request_id: str
    row: int
    program_id: str
    outcome: str
    ledger_index: int | None


@dataclass(slots=True)
class DecisionAudit:
    """The findings of the decision reconciliation and the decisions it read."""

    findings: list[Finding]
    decided: dict[int, StoredDecision]
    reviews: int


def _where(row: Mapping[str, Any]) -> str:
    return f"item_pk={row['item_pk']} (request {row['request_id']} row {row['row']})"


def _differences(expected: Mapping[str, object], recorded: Mapping[str, object]) -> str | None:
    names = [
        name
        for name in expected
        if name not in _NOT_COMPARED and expected[name] != recorded.get(name)
    ]
    if not names:
        return None
    parts = [
        f"{name} {expected[name]!r} in the table, {recorded.get(name)!r} in the ledger"
        if name in _SHOWN_FIELDS
        else f"{name} differs"
        for name in names
    ]
    return "the row disagrees with its ledger entry: " + "; ".join(parts)


def _check_row(
    row: Mapping[str, Any], view: LedgerView, tin_hash_key: bytes, program: Program
) -> Finding | None:
    index = row["ledger_index"]
    where = _where(row)
    if index is None:
        return Finding(TABLE, where, None, "the decision is not recorded in the ledger")
    entry = view.entries.get(index)
    if entry is None or entry.get("kind") != "decision":
        return Finding(TABLE, where, index, "the ledger holds no decision entry at that index")
    difference = _differences(decision_ledger_entry(tin_hash_key, program, row), entry)
    if difference is not None:
        return Finding(TABLE, where, index, difference)
    if view.keys.get(decision_ledger_key(row)) != index:
        return Finding(TABLE, where, index, "the entry was recorded under another decision key")
    return None


def reconcile_decisions(
    conn: Connection, view: LedgerView, tin_hash_key: bytes, programs: Callable[[str], Program]
) -> DecisionAudit:
    """Check every stored decision against its entry, and every decision entry against a row."""
    audit = DecisionAudit([], {}, 0)
    by_item: dict[tuple[object, object], tuple[str, int | None]] = {}
    for mapping in conn.execute(stored_decisions().order_by(decisions.c.item_pk)).mappings():
        row = dict(mapping)
        try:
            finding = _check_row(row, view, tin_hash_key, programs(row["program_id"]))
        except (PortcullisError, TypeError, ValueError, AttributeError, KeyError) as exc:
            finding = Finding(TABLE, _where(row), None, f"the row cannot be read: {exc}")
        if finding is not None:
            audit.findings.append(finding)
        index = row["ledger_index"] if isinstance(row["ledger_index"], int) else None
        by_item[(row["request_id"], row["row"])] = (_where(row), index)
        audit.decided[row["item_pk"]] = StoredDecision(
            str(row["request_id"]), row["row"], str(row["program_id"]), str(row["outcome"]), index
        )
    for index, entry in view.of_kind("decision"):
        finding = _check_entry(index, entry, by_item)
        if finding is None and by_item[(entry.get("request_id"), entry.get("row"))][1] != index:
            audit.reviews += 1
        elif finding is not None:
            audit.findings.append(finding)
    return audit


def _check_entry(
    index: int,
    entry: Mapping[str, object],
    by_item: Mapping[tuple[object, object], tuple[str, int | None]],
) -> Finding | None:
    request_id, row = entry.get("request_id"), entry.get("row")
    stored = by_item.get((request_id, row))
    if stored is None:
        return Finding(
            TABLE,
            f"of request {request_id} row {row}",
            index,
            "the ledger records a decision that has no row in the table (deleted)",
        )
    where, current = stored
    if current == index:
        return None
    # A hold settled by a reviewer: the held entry stays, the final decision is a later entry.
    if entry.get("outcome") == "pending_review" and current is not None and current > index:
        return None
    return Finding(
        TABLE,
        where,
        index,
        f"the ledger records this decision here, but the row points at entry {current}",
    )
