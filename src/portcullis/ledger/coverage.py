"""Decide which signed checkpoints cover an entry, and with how many valid cosignatures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, func, select

from portcullis.ledger.checkpoint import open_checkpoint
from portcullis.ledger.checkpoints import stored_checkpoint
from portcullis.ledger.cosignature import valid_cosigners
from portcullis.ledger.errors import EntryNotCheckpointed, LedgerError
from portcullis.ledger.tables import ledger_checkpoints, ledger_cosignatures

# Candidates re-verified per call; more than a handful only happens if stored cosignatures are bad.
_CANDIDATES = 8


@dataclass(frozen=True, slots=True)
class Coverage:
    """A checkpoint the ledger signed and how many registered witnesses validly cosigned it."""

    size: int
    cosigners: int

    def has_quorum(self, quorum: int) -> bool:
        """Tell whether the entries below `size` are under a checkpoint with `quorum` cosigners."""
        return self.cosigners >= quorum


def coverage_of(
    note: str, origin: str, log_key: Ed25519PublicKey, cosigners: set[str]
) -> Coverage | None:
    """Return what a checkpoint note with these valid cosigners covers, if the ledger signed it.

    A damaged checkpoint (the ledger's signature fails) covers nothing, whatever its cosignatures.
    """
    try:
        checkpoint = open_checkpoint(note, origin, log_key)
    except LedgerError:
        return None
    return Coverage(checkpoint.size, len(cosigners))


def _stored_coverage(
    conn: Connection,
    origin: str,
    log_key: Ed25519PublicKey,
    witnesses: Mapping[str, Ed25519PublicKey],
    size: int,
) -> Coverage | None:
    try:
        note = stored_checkpoint(conn, origin, size).note
        cosigners = valid_cosigners(note, witnesses)
    except LedgerError:
        return None  # a damaged checkpoint covers nothing
    found = coverage_of(note, origin, log_key, cosigners)
    # A note signed over another size than its row's covers nothing of that row.
    return found if found is not None and found.size == size else None


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
        found = _stored_coverage(conn, origin, log_key, witnesses, int(size))
        if found is not None and found.has_quorum(quorum):
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
        found = _stored_coverage(conn, origin, log_key, witnesses, int(size))
        if found is not None and found.has_quorum(quorum):
            return found.size
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
