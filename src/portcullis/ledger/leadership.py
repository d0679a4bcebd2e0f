"""Who leads the integrator: one process per SQLite workspace, one per PostgreSQL database.

On SQLite the leader holds an exclusive `flock` on the workspace's lock file (the processes share
one machine). On PostgreSQL it holds a session advisory lock keyed by the ledger's origin and the
schema, on a connection of its own, so two hosts serving one database elect one leader; the lock
goes with the session, so a leader whose connection is lost stops leading before its next round.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, Engine, text


class Leadership(Protocol):
    """A lock that at most one integrator of a ledger holds at a time."""

    def acquire(self) -> bool:
        """Take the lock without waiting, or keep it; tell whether it is held now."""

    def release(self) -> None:
        """Let the lock go, if held."""


class FileLeadership:
    """An exclusive `flock` on a file: one leader among the processes of one machine."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the file lock without waiting, or keep it; tell whether it is held."""
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        """Close the file, which frees its lock."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class DatabaseLeadership:
    """A PostgreSQL session advisory lock: one leader among every process using the database."""

    def __init__(self, engine: Engine, origin: str) -> None:
        self.engine = engine
        self.origin = origin
        self._conn: Connection | None = None

    def acquire(self) -> bool:
        """Take the advisory lock without waiting, or check its session still holds it."""
        if self._conn is not None:
            try:
                held = self._conn.execute(text("SELECT 1")).scalar_one() == 1
                self._conn.rollback()  # a session lock outlives the transaction
            except Exception:  # the session is gone, and its lock with it
                held = False
            if held:
                return True
            self.release()
        conn = self.engine.connect()
        try:
            schema = str(conn.execute(text("SELECT current_schema()")).scalar_one())
            key = advisory_key(self.origin, schema)
            won = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
            conn.rollback()  # a session lock outlives the transaction
        except Exception:
            conn.close()
            raise
        if not won:
            conn.close()
            return False
        self._conn = conn
        return True

    def release(self) -> None:
        """End the lock's session, which frees the lock."""
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                conn.invalidate()  # the session ends: PostgreSQL frees its advisory locks
            finally:
                conn.close()


def advisory_key(origin: str, schema: str) -> int:
    """Return the signed 64-bit advisory lock key of a ledger in a schema."""
    digest = hashlib.sha256(f"portcullis-integrator\0{origin}\0{schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def leadership_for(engine: Engine, origin: str, lock_path: Path | None) -> Leadership | None:
    """Return the lock that elects the ledger's integrator; None when it needs none."""
    if lock_path is None:
        return None
    if engine.dialect.name == "postgresql":
        return DatabaseLeadership(engine, origin)
    return FileLeadership(lock_path)
