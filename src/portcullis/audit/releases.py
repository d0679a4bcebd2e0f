"""Reconcile releases with the ledger: a witnessed disclosure, recalls and confirmations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Connection, select

from portcullis.aftercare.entries import (
    DISPOSAL_CONFIRMED,
    RECEIPT_CONFIRMED,
    Confirmation,
    confirmation_key,
    recall_key,
)
from portcullis.aftercare.moments import as_utc
from portcullis.audit.decisions import StoredDecision
from portcullis.audit.findings import Finding
from portcullis.audit.ledger_view import LedgerView
from portcullis.store.tables import items, releases

TABLE = "releases"

# A program's coverage: the size below which entries carry its quorum, and that quorum.
Coverage = Callable[[str], tuple[int | None, int]]


@dataclass(slots=True)
class ReleaseAudit:
    """The findings of the release reconciliation and how much it looked at."""

    findings: list[Finding]
    releases: int
    recalls: int


def _moment(text: object) -> dt.datetime | None:
    try:
        return as_utc(dt.datetime.fromisoformat(str(text)))
    except ValueError:
        return None


def _same_moment(stored: object, recorded: object) -> bool:
    return isinstance(stored, dt.datetime) and as_utc(stored) == _moment(recorded)


def _check_decision(
    where: str, decision: StoredDecision | None, view: LedgerView, coverage: Coverage
) -> Finding | None:
    if decision is None:
        return Finding(TABLE, where, None, "released without a stored decision")
    if decision.outcome != "disclosed" or decision.ledger_index is None:
        return Finding(
            TABLE,
            where,
            decision.ledger_index,
            f"released, but its decision is {decision.outcome!r}"
            + ("" if decision.ledger_index is not None else " and not in the ledger"),
        )
    index = decision.ledger_index
    entry = view.entries.get(index, {})
    if entry.get("outcome") != "disclosed":
        return Finding(TABLE, where, index, "released, but its ledger entry records no disclosure")
    size, quorum = coverage(decision.program_id)
    if size is None or index >= size:
        return Finding(
            TABLE,
            where,
            index,
            f"released, but no signed checkpoint over the entry carries the {quorum} valid"
            f" witness cosignature(s) program {decision.program_id} requires",
        )
    return None


def _check_recall(
    where: str, row: Mapping[str, Any], decision: StoredDecision | None, view: LedgerView
) -> Finding | None:
    index = view.keys.get(recall_key(row["item_pk"]))
    if row["recalled_at"] is None:
        if index is None:
            return None
        return Finding(TABLE, where, index, "the ledger records a recall the row does not show")
    if index is None:
        return Finding(TABLE, where, None, "marked recalled, but the ledger records no recall")
    entry = view.entries[index]
    expected_decision = None if decision is None else decision.ledger_index
    wrong = [
        name
        for name, agrees in (
            ("request_id", entry.get("request_id") == row["request_id"]),
            ("row", entry.get("row") == row["row"]),
            ("reason", entry.get("reason") == row["recall_reason"]),
            ("recalled_at", _same_moment(row["recalled_at"], entry.get("recalled_at"))),
            ("decision_index", entry.get("decision_index") == expected_decision),
        )
        if not agrees
    ]
    if wrong:
        return Finding(
            TABLE, where, index, f"the recall disagrees with its ledger entry in {', '.join(wrong)}"
        )
    return None


def _check_confirmation(
    where: str, row: Mapping[str, Any], kind: Confirmation, column: Column[Any], view: LedgerView
) -> Finding | None:
    index = view.keys.get(confirmation_key(kind, row["item_pk"]))
    stored = row[column.name]
    what = kind.replace("_", " ")
    if stored is None:
        if index is None:
            return None
        return Finding(TABLE, where, index, f"the ledger records a {what} the row does not show")
    if index is None:
        return Finding(TABLE, where, None, f"the row shows a {what} the ledger does not record")
    if not _same_moment(stored, view.entries[index].get("confirmed_at")):
        return Finding(TABLE, where, index, f"the {what} time disagrees with its ledger entry")
    return None


def reconcile_releases(
    conn: Connection,
    view: LedgerView,
    decided: Mapping[int, StoredDecision],
    coverage: Coverage,
) -> ReleaseAudit:
    """Check every release, recall and confirmation against the ledger, and the reverse."""
    audit = ReleaseAudit([], 0, 0)
    query = (
        select(releases, items.c.request_id, items.c.row)
        .join(items, items.c.id == releases.c.item_pk)
        .order_by(releases.c.item_pk)
    )
    released: set[int] = set()
    for mapping in conn.execute(query).mappings():
        row = dict(mapping)
        where = f"item_pk={row['item_pk']} (request {row['request_id']} row {row['row']})"
        decision = decided.get(row["item_pk"])
        released.add(row["item_pk"])
        audit.releases += 1
        audit.recalls += row["recalled_at"] is not None
        found = [
            _check_decision(where, decision, view, coverage),
            _check_recall(where, row, decision, view),
            _check_confirmation(
                where, row, RECEIPT_CONFIRMED, releases.c.receipt_confirmed_at, view
            ),
            _check_confirmation(where, row, DISPOSAL_CONFIRMED, releases.c.disposed_at, view),
        ]
        audit.findings.extend(finding for finding in found if finding is not None)
    audit.findings.extend(_orphans(view, released))
    return audit


# The keys aftercare.entries gives recall and confirmation entries, less the item number.
_AFTERCARE_PREFIXES = tuple(
    key.removesuffix("0")
    for key in (
        recall_key(0),
        confirmation_key(RECEIPT_CONFIRMED, 0),
        confirmation_key(DISPOSAL_CONFIRMED, 0),
    )
)


def _orphans(view: LedgerView, released: set[int]) -> list[Finding]:
    # Aftercare entries are keyed by the release's item; one whose release row is gone is named.
    found: list[Finding] = []
    for key, index in sorted(view.keys.items(), key=lambda pair: pair[1]):
        prefix = next((p for p in _AFTERCARE_PREFIXES if key.startswith(p)), None)
        if prefix is None:
            continue
        pk_text = key[len(prefix) :]
        if pk_text.isdigit() and int(pk_text) not in released:
            entry = view.entries[index]
            found.append(
                Finding(
                    TABLE,
                    f"item_pk={pk_text} (request {entry.get('request_id')} row {entry.get('row')})",
                    index,
                    f"the ledger records a {entry.get('kind')} of a release that has no row"
                    " (deleted)",
                )
            )
    return found
