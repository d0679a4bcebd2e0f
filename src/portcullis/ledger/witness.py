"""A witness: an oversight body that cosigns only checkpoints extending what it cosigned before."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError

from portcullis.ledger.checkpoint import note_origin, open_checkpoint
from portcullis.ledger.cosignature import cosign_body
from portcullis.ledger.errors import LedgerError, ProofInvalid, SplitViewRefused
from portcullis.ledger.proofs import verify_consistency
from portcullis.ledger.tables import witness_state


class WitnessStateRaced(LedgerError):
    """Another process moved this witness's state while it was cosigning; nothing was signed."""


class Witness:
    """Cosigns checkpoints of one ledger, remembering the largest tree it has vouched for."""

    def __init__(
        self, name: str, key: Ed25519PrivateKey, engine: Engine, log_key: Ed25519PublicKey
    ) -> None:
        self.name = name
        self._key = key
        self._engine = engine
        self._log_key = log_key

    @property
    def public_key(self) -> Ed25519PublicKey:
        """The key that verifies this witness's cosignatures."""
        return self._key.public_key()

    def latest(self, origin: str) -> tuple[int, bytes] | None:
        """Return the size and root hash this witness last cosigned for `origin`, if any."""
        query = select(witness_state.c.size, witness_state.c.root_hash).where(
            witness_state.c.witness == self.name, witness_state.c.origin == origin
        )
        with self._engine.connect() as conn:
            row = conn.execute(query).one_or_none()
        return None if row is None else (int(row.size), bytes(row.root_hash))

    def latest_size(self, origin: str) -> int:
        """Return the tree size this witness last cosigned for `origin` (0 if none)."""
        state = self.latest(origin)
        return 0 if state is None else state[0]

    def cosign(self, checkpoint_note: str, consistency_proof: Sequence[bytes]) -> str:
        """Return a cosignature line if the checkpoint extends its last one, else refuse."""
        checkpoint = open_checkpoint(checkpoint_note, note_origin(checkpoint_note), self._log_key)
        previous = self.latest(checkpoint.origin)
        # Every tree extends the empty one, so only a non-empty cosigned tree constrains the next.
        if previous is not None and previous[0] > 0:
            old_size, old_root = previous
            if checkpoint.size < old_size:
                raise SplitViewRefused(
                    f"witness {self.name}: size {checkpoint.size} is below the cosigned {old_size}"
                )
            try:
                verify_consistency(
                    old_size, checkpoint.size, old_root, checkpoint.root, consistency_proof
                )
            except ProofInvalid as exc:
                raise SplitViewRefused(
                    f"witness {self.name}: checkpoint at size {checkpoint.size} does not extend"
                    f" the one cosigned at size {old_size} ({exc})"
                ) from exc
        self._remember(checkpoint.origin, previous, checkpoint.size, checkpoint.root)
        return cosign_body(checkpoint.body, self.name, self._key, int(time.time()))

    def _remember(
        self, origin: str, previous: tuple[int, bytes] | None, size: int, root: bytes
    ) -> None:
        now = dt.datetime.now(dt.UTC)
        values = {"size": size, "root_hash": root, "updated_at": now}
        with self._engine.begin() as conn:
            if previous is None:
                try:
                    conn.execute(
                        witness_state.insert().values(witness=self.name, origin=origin, **values)
                    )
                except IntegrityError as exc:
                    raise WitnessStateRaced(
                        f"witness {self.name}: state appeared meanwhile"
                    ) from exc
                return
            # Compare-and-set: only move forward from the exact state that was checked.
            moved = conn.execute(
                update(witness_state)
                .where(
                    witness_state.c.witness == self.name,
                    witness_state.c.origin == origin,
                    witness_state.c.size == previous[0],
                    witness_state.c.root_hash == previous[1],
                )
                .values(**values)
            )
            if moved.rowcount != 1:
                raise WitnessStateRaced(f"witness {self.name}: state changed while cosigning")
