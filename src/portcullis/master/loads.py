"""The store's record of each file loaded completely, so that loading it again can be skipped.

A file is recognised by its path, size and SHA-256 digest. Each record carries the store's
version after its load; a load that writes rows makes a new version. Loading a recognised file
again can change nothing only while the store is at that file's version (no load has written
since): then it is skipped, and any later write makes the file load in full again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from portcullis.errors import FileUnreadable
from portcullis.master.schema import LOADS_TABLE


@dataclass(frozen=True, slots=True)
class FileIdentity:
    """A file's size, content digest and modification time, taken before it is read."""

    size: int
    digest: str
    modified_ns: int


@dataclass(frozen=True, slots=True)
class LoadCounts:
    """The rows one file's load read, kept, rejected and kept without an optional field."""

    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rows_with_ignored_fields: int


def identify_file(path: Path) -> FileIdentity:
    """Size, SHA-256 digest and modification time of the file at `path`."""
    try:
        before = path.stat()
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        raise FileUnreadable(f"{path.name}: cannot be read: {exc}") from exc
    return FileIdentity(before.st_size, digest, before.st_mtime_ns)


def refuse_if_changed(path: Path, identity: FileIdentity) -> None:
    """Refuse the load of a file written to while it was read: its digest would not name it."""
    now = path.stat()
    if (now.st_size, now.st_mtime_ns) != (identity.size, identity.modified_ns):
        raise FileUnreadable(f"{path.name}: the file changed while it was being loaded")


def unchanged_load(
    con: duckdb.DuckDBPyConnection, path: Path, identity: FileIdentity
) -> LoadCounts | None:
    """The counts of this very file's last load if the store has not been written since."""
    row = con.execute(
        f"""
        SELECT rows_read, rows_loaded, rows_rejected, rows_with_ignored_fields FROM {LOADS_TABLE}
        WHERE source_file = ? AND size = ? AND digest = ?
            AND store_version = (SELECT max(store_version) FROM {LOADS_TABLE})
        """,
        [str(path), identity.size, identity.digest],
    ).fetchone()
    return None if row is None else LoadCounts(*(int(value) for value in row))


def store_version(con: duckdb.DuckDBPyConnection) -> int:
    """The store's version: how many loads have written rows (0 before any, or with no record)."""
    try:
        row = con.execute(f"SELECT coalesce(max(store_version), 0) FROM {LOADS_TABLE}").fetchone()
    except duckdb.CatalogException:
        return 0
    return int(row[0]) if row else 0


def record_load(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    identity: FileIdentity,
    counts: LoadCounts,
    written: int,
    loaded_at: dt.datetime,
) -> None:
    """Record a file's complete load, at a new store version if it wrote any row."""
    con.execute(f"DELETE FROM {LOADS_TABLE} WHERE source_file = ?", [str(path)])
    con.execute(
        f"""
        INSERT INTO {LOADS_TABLE}
        SELECT ?, ?, ?, ?, ?, ?, ?,
            (SELECT coalesce(max(store_version), 0) FROM {LOADS_TABLE}) + ?, ?
        """,
        [
            str(path),
            identity.size,
            identity.digest,
            counts.rows_read,
            counts.rows_loaded,
            counts.rows_rejected,
            counts.rows_with_ignored_fields,
            1 if written else 0,
            loaded_at,
        ],
    )
