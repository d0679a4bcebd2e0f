"""Sign and read checkpoints; one that does not extend the last signed one is never signed."""

from __future__ import annotations

import datetime as dt

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, select

from portcullis.keys import public_key_b64
from portcullis.ledger.checkpoint import Checkpoint, sign_checkpoint
from portcullis.ledger.errors import CheckpointInconsistent, LedgerKeyRetired, ProofInvalid
from portcullis.ledger.nodes import consistency_proof, root_at
from portcullis.ledger.proofs import verify_consistency
from portcullis.ledger.stored import stored_bytes, stored_text
from portcullis.ledger.tables import ledger_checkpoints, ledger_cosignatures
from portcullis.ledger.writer import claim_head


def _cosignature_lines(conn: Connection, size: int) -> str:
    query = (
        select(ledger_cosignatures.c.line)
        .where(ledger_cosignatures.c.size == size)
        .order_by(ledger_cosignatures.c.witness)
    )
    where = f"ledger_cosignatures row size={size}, column line,"
    return "".join(stored_text(line, where) for line in conn.execute(query).scalars())


def stored_checkpoint(conn: Connection, origin: str, size: int) -> Checkpoint:
    """Return the checkpoint signed at `size`, with every stored cosignature line appended."""
    row = conn.execute(
        select(ledger_checkpoints.c.root_hash, ledger_checkpoints.c.note).where(
            ledger_checkpoints.c.size == size
        )
    ).one()
    where = f"ledger_checkpoints row size={size},"
    note = stored_text(row.note, f"{where} column note,") + _cosignature_lines(conn, size)
    return Checkpoint(origin, size, stored_bytes(row.root_hash, f"{where} column root_hash,"), note)


def latest_size(conn: Connection) -> int | None:
    """Return the size of the newest signed checkpoint, if there is one."""
    query = select(ledger_checkpoints.c.size).order_by(ledger_checkpoints.c.size.desc()).limit(1)
    size = conn.execute(query).scalar_one_or_none()
    return None if size is None else int(size)


def latest_checkpoint(conn: Connection, origin: str) -> Checkpoint | None:
    """Return the newest signed checkpoint with its cosignatures, if there is one."""
    size = latest_size(conn)
    return None if size is None else stored_checkpoint(conn, origin, size)


def latest_signed(conn: Connection, origin: str) -> Checkpoint | None:
    """Return the newest checkpoint as the ledger signed it, without cosignatures, if any."""
    query = (
        select(ledger_checkpoints.c.size, ledger_checkpoints.c.root_hash, ledger_checkpoints.c.note)
        .order_by(ledger_checkpoints.c.size.desc())
        .limit(1)
    )
    row = conn.execute(query).one_or_none()
    if row is None:
        return None
    where = f"ledger_checkpoints row size={row.size},"
    root = stored_bytes(row.root_hash, f"{where} column root_hash,")
    return Checkpoint(origin, int(row.size), root, stored_text(row.note, f"{where} column note,"))


def sign_next(conn: Connection, origin: str, signer: Ed25519PrivateKey) -> Checkpoint:
    """Sign a checkpoint over the current size if it grew, after proving it extends the last one.

    Return the newest checkpoint as signed, without cosignatures: the one just signed, or the
    last one when the ledger did not grow.
    """
    size, current = claim_head(conn)
    if current != public_key_b64(signer.public_key()):
        # The key was rotated under this process: a retired key never signs again.
        raise LedgerKeyRetired("the ledger key was rotated; restart to sign with the new key")
    previous = latest_signed(conn, origin)
    if previous is not None and previous.size == size:
        return previous
    root = root_at(conn, size)
    if previous is not None:
        if previous.size > size:
            raise CheckpointInconsistent(
                f"ledger holds {size} entries but a checkpoint was signed at {previous.size}"
            )
        if previous.size > 0:
            try:
                proof = consistency_proof(conn, previous.size, size)
                verify_consistency(previous.size, size, previous.root, root, proof)
            except ProofInvalid as exc:
                raise CheckpointInconsistent(
                    f"tree at size {size} does not extend the checkpoint at size {previous.size};"
                    " refusing to sign"
                ) from exc
    checkpoint = sign_checkpoint(origin, size, root, signer)
    conn.execute(
        ledger_checkpoints.insert().values(
            size=size, root_hash=root, note=checkpoint.note, signed_at=dt.datetime.now(dt.UTC)
        )
    )
    return checkpoint


def signed_at(conn: Connection, size: int) -> dt.datetime:
    """Return when the checkpoint at `size` was signed, in UTC."""
    query = select(ledger_checkpoints.c.signed_at).where(ledger_checkpoints.c.size == size)
    moment: dt.datetime = conn.execute(query).scalar_one()
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
