"""Reconcile a restored state store with its ledger and its files before it is accepted."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, select

from portcullis.aftercare.tables import recall_notices
from portcullis.ledger.tables import ledger_entries
from portcullis.operations.archive import file_sha256
from portcullis.store.tables import decisions, items, releases, requests

# Columns holding a file's path inside the workspace, each with the column of the file's digest.
HOME_PATH_COLUMNS: tuple[tuple[Table, str, str], ...] = (
    (releases, "package_path", "package_sha256"),
    (recall_notices, "notice_path", "notice_sha256"),
)
_SHOWN = 5


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """Problems found between the rows, the ledger and the files; none means it reconciles."""

    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def describe(self) -> str:
        """Return one line naming the first few problems."""
        more = len(self.problems) - _SHOWN
        shown = "; ".join(self.problems[:_SHOWN]) + (f"; and {more} more" if more > 0 else "")
        return "reconciles" if self.ok else f"does not reconcile: {shown}"


def reconcile(engine: Engine, home: Path) -> Reconciliation:
    """Check decisions against ledger entries, releases against decisions, and files on disk."""
    with engine.connect() as conn:
        problems = [
            *_decisions_in_ledger(conn),
            *_releases_disclosed(conn),
            *_files_present(conn),
            *_request_files_kept(conn, home / "inbox"),
        ]
    return Reconciliation(tuple(problems))


def _decisions_in_ledger(conn: Connection) -> Iterator[str]:
    query = (
        select(items.c.request_id, items.c.row, decisions.c.ledger_index, ledger_entries.c.idx)
        .join(items, items.c.id == decisions.c.item_pk)
        .outerjoin(ledger_entries, ledger_entries.c.idx == decisions.c.ledger_index)
        .where(decisions.c.ledger_index.is_not(None))
        .order_by(items.c.request_id, items.c.row)
    )
    for row in conn.execute(query):
        if row.idx is None:
            yield (
                f"request {row.request_id} row {row.row}: its decision names ledger entry"
                f" {row.ledger_index}, which the ledger lacks"
            )


def _releases_disclosed(conn: Connection) -> Iterator[str]:
    query = (
        select(items.c.request_id, items.c.row, decisions.c.outcome, decisions.c.ledger_index)
        .select_from(releases)
        .join(items, items.c.id == releases.c.item_pk)
        .outerjoin(decisions, decisions.c.item_pk == releases.c.item_pk)
        .order_by(items.c.request_id, items.c.row)
    )
    for row in conn.execute(query):
        if row.outcome != "disclosed" or row.ledger_index is None:
            yield (
                f"request {row.request_id} row {row.row}: released without a disclosed decision"
                " in the ledger"
            )


def _files_present(conn: Connection) -> Iterator[str]:
    for table, path_column, digest_column in HOME_PATH_COLUMNS:
        query = select(table.c[path_column], table.c[digest_column])
        for path, digest in conn.execute(query):
            found = _sha256(Path(path))
            if found != digest:
                state = "is missing" if found is None else "does not match its recorded SHA-256"
                yield f"{table.name}: {Path(path).name} {state}"


def _request_files_kept(conn: Connection, inbox: Path) -> Iterator[str]:
    files = [path for path in inbox.rglob("*") if path.is_file()]
    kept = {_sha256(path) for path in files if path.name != "manifest.json"}
    query = (
        select(requests.c.request_id, requests.c.file_sha256)
        .where(requests.c.status != "refused")
        .order_by(requests.c.request_id)
    )
    for request_id, digest in conn.execute(query):
        if digest not in kept:
            yield f"request {request_id}: its file is not kept in the inbox"


def _sha256(path: Path) -> str | None:
    return file_sha256(path) if path.is_file() else None
