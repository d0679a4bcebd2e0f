"""A witness: an oversight body that cosigns only checkpoints extending what it cosigned before."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from portcullis.ledger.checkpoint import note_origin, open_checkpoint
from portcullis.ledger.cosignature import cosign_body
from portcullis.ledger.errors import ProofInvalid, SplitViewRefused
from portcullis.ledger.proofs import verify_consistency
from portcullis.ledger.witness_state import TreeHead, WitnessState


class Witness:
    """Cosigns checkpoints of one ledger, keeping in its home the largest tree it vouched for."""

    def __init__(
        self, name: str, key: Ed25519PrivateKey, home: Path, log_key: Ed25519PublicKey
    ) -> None:
        self.name = name
        self.home = home
        self._key = key
        self._state = WitnessState(home)
        self._log_key = log_key

    @property
    def public_key(self) -> Ed25519PublicKey:
        """The key that verifies this witness's cosignatures."""
        return self._key.public_key()

    def latest(self, origin: str) -> TreeHead | None:
        """Return the size and root hash this witness last cosigned for `origin`, if any."""
        return self._state.latest(origin)

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
        # Compare-and-set: only move forward from the exact state that was checked.
        self._state.advance(checkpoint.origin, previous, checkpoint.size, checkpoint.root)
        return cosign_body(checkpoint.body, self.name, self._key, int(time.time()))
