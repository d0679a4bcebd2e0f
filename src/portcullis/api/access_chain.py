"""The access log as a hash chain: each row commits to the one before, so edits show."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from portcullis.api.tables import access_log, access_log_head
from portcullis.errors import PortcullisError

GENESIS = "0" * 64
_HEAD = 1
_FIELDS = ("at", "principal", "client", "method", "path", "status")


class AccessLogTampered(PortcullisError):
    """A row of the access log no longer matches the hash chain."""


def append_access(engine: Engine, lock: threading.Lock, row: Mapping[str, Any]) -> None:
    """Append one access row chained to the previous one."""
    # One writer at a time, so that each row's predecessor is the row before it in id order: the
    # lock within this process, the head row's lock across processes.
    with lock, engine.begin() as con:
        _claim_head(con)
        previous = con.execute(
            sa.select(access_log.c.row_hash).order_by(access_log.c.id.desc()).limit(1)
        ).scalar_one_or_none()
        prev_hash = previous or GENESIS
        con.execute(
            access_log.insert().values(
                **row, prev_hash=prev_hash, row_hash=chain_hash(prev_hash, row)
            )
        )


def _claim_head(con: sa.Connection) -> None:
    # A write before any read: it waits for every other writer of the chain to commit.
    claimed = con.execute(
        access_log_head.update()
        .where(access_log_head.c.id == _HEAD)
        .values(rows=access_log_head.c.rows + 1)
    ).rowcount
    if claimed != 1:
        raise AccessLogTampered("the access log has no head row (see ensure_access_head)")


def ensure_access_head(engine: Engine) -> None:
    """Create the access log's head row on first use (every API process calls this at start)."""
    with engine.connect() as con:
        rows = con.execute(sa.select(sa.func.count()).select_from(access_log)).scalar_one()
    try:
        with engine.begin() as con:
            con.execute(access_log_head.insert().values(id=_HEAD, rows=rows))
    except IntegrityError:
        pass  # another process, or an earlier start, made it


def chain_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    """Return the SHA-256 over the previous hash and the row's fields in canonical JSON."""
    fields = {name: row[name] for name in _FIELDS}
    fields["at"] = _utc_text(row["at"])
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def verify_access_log(engine: Engine) -> int:
    """Check every row against the chain and return how many there are."""
    expected = GENESIS
    count = 0
    query = sa.select(access_log).order_by(access_log.c.id)
    with engine.connect() as con:
        result = con.execution_options(yield_per=5_000).execute(query)
        try:
            for row in result:
                values = dict(row._mapping)
                if values["prev_hash"] != expected or chain_hash(expected, values) != str(
                    values["row_hash"]
                ):
                    raise AccessLogTampered(f"access log row {values['id']} breaks the chain")
                expected = values["row_hash"]
                count += 1
        finally:
            # A server-side cursor left open when a break is found would outlive the check.
            result.close()
    return count


def _utc_text(moment: dt.datetime) -> str:
    # SQLite gives back naive UTC, PostgreSQL aware times: hash the same text for both.
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")
