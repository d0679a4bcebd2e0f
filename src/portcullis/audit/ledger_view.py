"""The ledger's entries as the audit reads them: by index and by decision key."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from portcullis.ledger.tables import ledger_entries

_PAGE = 5000


@dataclass(slots=True)
class LedgerView:
    """Every readable entry of the ledger; unreadable ones are left to the ledger's verification."""

    entries: dict[int, dict[str, object]] = field(default_factory=dict)
    keys: dict[str, int] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[tuple[int, dict[str, object]]]:
        """Return the entries of one kind, in index order."""
        return [(i, e) for i, e in sorted(self.entries.items()) if e.get("kind") == kind]


def read_ledger(conn: Connection) -> LedgerView:
    """Read every entry that is a JSON object, page by page."""
    view = LedgerView()
    start = None
    while True:
        query = select(ledger_entries.c.idx, ledger_entries.c.decision_key, ledger_entries.c.body)
        if start is not None:
            query = query.where(ledger_entries.c.idx > start)
        rows = conn.execute(query.order_by(ledger_entries.c.idx).limit(_PAGE)).all()
        if not rows:
            return view
        for index, key, body in rows:
            start = index
            entry = _parsed(body)
            if entry is not None and isinstance(index, int):
                view.entries[index] = entry
                view.keys[str(key)] = index


def _parsed(body: object) -> dict[str, object] | None:
    if not isinstance(body, bytes | memoryview):
        return None
    try:
        loaded = json.loads(bytes(body))
    except ValueError:
        return None
    return loaded if isinstance(loaded, dict) else None
