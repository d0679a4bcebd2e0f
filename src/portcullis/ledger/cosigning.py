"""Ask witnesses to cosign the latest checkpoint, keeping only cosignatures that verify."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Sequence

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from portcullis.ledger.checkpoint import Checkpoint
from portcullis.ledger.cosignature import valid_cosigners
from portcullis.ledger.errors import LedgerError
from portcullis.ledger.nodes import consistency_proof
from portcullis.ledger.tables import ledger_cosignatures
from portcullis.ledger.witness_protocol import Cosigner, OldSizeMismatch

log = logging.getLogger(__name__)

# Exchanges still running past their bound, by the engine they write through: closing a gateway
# waits for them (bounded) so that none outlives the connections it uses.
_running: dict[int, set[threading.Thread]] = {}
_running_lock = threading.Lock()


def wait_for_exchanges(engine: Engine, timeout: float) -> list[str]:
    """Wait up to `timeout` s for the witness exchanges of `engine`; name those still running."""
    with _running_lock:
        threads = list(_running.get(id(engine), ()))
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return [t.name for t in threads if t.is_alive()]


def _exchange(engine: Engine, checkpoint: Checkpoint, note: str, witness: Cosigner) -> str:
    old = witness.latest_size(checkpoint.origin)
    try:
        return witness.add_checkpoint(old, _proof(engine, old, checkpoint.size), note)
    except OldSizeMismatch as mismatch:
        # The witness said which size it cosigned last: prove from there, once.
        if not 0 <= mismatch.latest <= checkpoint.size:
            raise
        proof = _proof(engine, mismatch.latest, checkpoint.size)
        return witness.add_checkpoint(mismatch.latest, proof, note)


def _proof(engine: Engine, old: int, size: int) -> list[bytes]:
    if not 0 < old < size:
        return []
    with engine.connect() as conn:
        return consistency_proof(conn, old, size)


def _ask_all(
    engine: Engine, checkpoint: Checkpoint, note: str, witnesses: Sequence[Cosigner], timeout: float
) -> dict[str, str | BaseException]:
    answers: dict[str, str | BaseException] = {}

    def ask(witness: Cosigner) -> None:
        try:
            answers[witness.name] = _exchange(engine, checkpoint, note, witness)
        except Exception as exc:  # any failure of one witness only withholds its cosignature
            answers[witness.name] = exc
        finally:
            with _running_lock:
                running = _running.get(id(engine), set())
                running.discard(threading.current_thread())
                if not running:
                    _running.pop(id(engine), None)

    # Daemon threads: a witness that never answers must not hold up the process, even at exit.
    threads = [
        threading.Thread(target=ask, args=(w,), name=f"witness-{w.name}", daemon=True)
        for w in witnesses
    ]
    with _running_lock:
        _running.setdefault(id(engine), set()).update(threads)
    for thread in threads:
        thread.start()
    # Fail closed: past the bound, a silent witness simply adds no cosignature.
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return dict(answers)


def collect_cosignatures(
    engine: Engine,
    checkpoint: Checkpoint,
    witnesses: Sequence[Cosigner],
    known: dict[str, Ed25519PublicKey],
    timeout: float,
) -> set[str]:
    """Gather and store cosignatures on `checkpoint`, given as signed without cosignature lines.

    Return the witnesses whose stored cosignature on it verifies: those stored before that still
    do, and those stored now.
    """
    note = checkpoint.note
    with engine.connect() as conn:
        query = select(ledger_cosignatures.c.witness, ledger_cosignatures.c.line).where(
            ledger_cosignatures.c.size == checkpoint.size
        )
        present: dict[str, object] = {str(name): line for name, line in conn.execute(query)}
    cosigned = {name for name, line in present.items() if _verifies(note, name, line, known)}
    asked = [w for w in witnesses if w.name not in present]
    if not asked:
        return cosigned
    answers = _ask_all(engine, checkpoint, note, asked, timeout)
    rows: list[dict[str, object]] = []
    for witness in asked:
        line = answers.get(witness.name)
        if line is None:
            log.warning("witness %s did not answer within %.1f s", witness.name, timeout)
            continue
        if isinstance(line, BaseException):
            log.warning("witness %s refused or failed: %s", witness.name, line)
            continue
        if not _verifies(note, witness.name, line, known):
            log.warning("witness %s sent a cosignature that does not verify", witness.name)
            continue
        rows.append(
            {
                "size": checkpoint.size,
                "witness": witness.name,
                "line": line,
                "received_at": dt.datetime.now(dt.UTC),
            }
        )
    return cosigned | _store(engine, rows)


def _verifies(note: str, name: str, line: object, known: dict[str, Ed25519PublicKey]) -> bool:
    # A line of the wrong type or form (stored damaged, or sent so) cosigns nothing.
    key = known.get(name)
    if key is None or not isinstance(line, str):
        return False
    try:
        return name in valid_cosigners(note + line, {name: key})
    except LedgerError:
        return False


def _store(engine: Engine, rows: list[dict[str, object]]) -> set[str]:
    """Insert the cosignature rows; return the witnesses whose row this call stored."""
    if not rows:
        return set()
    try:
        with engine.begin() as conn:
            conn.execute(ledger_cosignatures.insert(), rows)
        return {str(row["witness"]) for row in rows}
    except IntegrityError:
        pass
    # A concurrent gatherer stored one of them first: the others go in one by one.
    stored: set[str] = set()
    for row in rows:
        try:
            with engine.begin() as conn:
                conn.execute(ledger_cosignatures.insert().values(**row))
            stored.add(str(row["witness"]))
        except IntegrityError:
            pass
    return stored
