"""Decide which signed checkpoints cover an entry, and with how many valid cosignatures."""

from __future__ import annotations

from collections.abc import Mapping

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, func, select

from portcullis.ledger.checkpoint import open_checkpoint
from portcullis.ledger.checkpoints import stored_checkpoint
from portcullis.ledger.cosignature import valid_cosigners
from portcullis.ledger.errors import EntryNotCheckpointed, LedgerError
from portcullis.ledger.tables import ledger_checkpoints, ledger_cosignatures

# Candidates re-verified per call; more than a handful only happens if stored cosignatures are bad.
_CANDIDATES = 8


def is_covered(
    conn: Connection,
    origin: str,
    log_key: Ed25519PublicKey,
    witnesses: Mapping[str, Ed25519PublicKey],
    index: int,
    quorum: int,
) -> bool:
    """Return True only if a signed checkpoint over `index` carries `quorum` valid cosignatures."""
    if quorum <= 0:
        query = select(ledger_checkpoints.c.size).where(ledger_checkpoints.c.size > index)
    else:
        query = (
            select(ledger_cosignatures.c.size)
            .where(
                ledger_cosignatures.c.size > index,
                ledger_cosignatures.c.witness.in_(sorted(witnesses)),
            )
            .group_by(ledger_cosignatures.c.size)
            .having(func.count() >= quorum)
        )
    for size in conn.execute(
        query.order_by(query.selected_columns[0]).limit(_CANDIDATES)
    ).scalars():
        try:
            checkpoint = stored_checkpoint(conn, origin, int(size))
            open_checkpoint(checkpoint.note, origin, log_key)
        except LedgerError:
            continue  # a damaged checkpoint covers nothing
        if len(valid_cosigners(checkpoint.note, witnesses)) >= quorum:
            return True
    return False


def largest_covering_size(
    conn: Connection,
    origin: str,
    log_key: Ed25519PublicKey,
    witnesses: Mapping[str, Ed25519PublicKey],
    quorum: int,
) -> int | None:
    """Return the size of the largest signed checkpoint with `quorum` valid cosignatures, if any.

    Every entry below that size is covered, so a batch of releases needs one check, not one each.
    """
    if quorum <= 0:
        query = select(ledger_checkpoints.c.size)
    else:
        query = (
            select(ledger_cosignatures.c.size)
            .where(ledger_cosignatures.c.witness.in_(sorted(witnesses)))
            .group_by(ledger_cosignatures.c.size)
            .having(func.count() >= quorum)
        )
    ordered = query.order_by(query.selected_columns[0].desc()).limit(_CANDIDATES)
    for size in conn.execute(ordered).scalars():
        try:
            checkpoint = stored_checkpoint(conn, origin, int(size))
            open_checkpoint(checkpoint.note, origin, log_key)
        except LedgerError:
            continue  # a damaged checkpoint covers nothing
        if len(valid_cosigners(checkpoint.note, witnesses)) >= quorum:
            return int(size)
    return None


def receipt_checkpoint_size(conn: Connection, index: int) -> int:
    """Pick the checkpoint over `index` with the most cosignatures, the newest among equals."""
    count = func.count(ledger_cosignatures.c.witness)
    query = (
        select(ledger_checkpoints.c.size)
        .outerjoin(ledger_cosignatures, ledger_cosignatures.c.size == ledger_checkpoints.c.size)
        .where(ledger_checkpoints.c.size > index)
        .group_by(ledger_checkpoints.c.size)
        .order_by(count.desc(), ledger_checkpoints.c.size.desc())
        .limit(1)
    )
    size = conn.execute(query).scalar_one_or_none()
    if size is None:
        raise EntryNotCheckpointed(f"entry {index} is not yet under a signed checkpoint")
    return int(size)
