"""A witness: an oversight body that cosigns only checkpoints extending what it cosigned before."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA44PrivateKey, MLDSA44PublicKey

from portcullis.ledger.checkpoint import note_origin, open_checkpoint
from portcullis.ledger.cosignature import cosign_body
from portcullis.ledger.errors import ProofInvalid, SignatureInvalid
from portcullis.ledger.mldsa_cosignature import cosign_mldsa
from portcullis.ledger.proofs import verify_consistency
from portcullis.ledger.witness_protocol import (
    ExtensionUnproven,
    NotSignedByLog,
    OldSizeAboveCheckpoint,
    OldSizeMismatch,
    SameSizeOtherRoot,
    UnknownLog,
)
from portcullis.ledger.witness_state import TreeHead, WitnessState, WitnessStateRaced


class Witness:
    """Cosigns checkpoints of one ledger, keeping in its home the largest tree it vouched for."""

    def __init__(
        self,
        name: str,
        key: Ed25519PrivateKey,
        home: Path,
        log_key: Ed25519PublicKey,
        origin: str | None = None,
        pq_key: MLDSA44PrivateKey | None = None,
    ) -> None:
        self.name = name
        self.home = home
        self.origin = origin
        self._key = key
        self._state = WitnessState(home)
        self._log_key = log_key
        self._pq_key = pq_key

    @property
    def public_key(self) -> Ed25519PublicKey:
        """The key that verifies this witness's cosignatures."""
        return self._key.public_key()

    @property
    def pq_public_key(self) -> MLDSA44PublicKey | None:
        """The key that verifies this witness's ML-DSA-44 cosignatures, if it makes them."""
        return None if self._pq_key is None else self._pq_key.public_key()

    def latest(self, origin: str) -> TreeHead | None:
        """Return the size and root hash this witness last cosigned for `origin`, if any."""
        return self._state.latest(origin)

    def latest_size(self, origin: str) -> int:
        """Return the tree size this witness last cosigned for `origin` (0 if none)."""
        state = self.latest(origin)
        return 0 if state is None else state[0]

    def cosign(self, checkpoint_note: str, consistency_proof: Sequence[bytes]) -> str:
        """Cosign a checkpoint extending the last one this witness cosigned, else refuse."""
        old = self.latest_size(note_origin(checkpoint_note))
        return self.add_checkpoint(old, consistency_proof, checkpoint_note)

    def add_checkpoint(self, old_size: int, proof: Sequence[bytes], checkpoint_note: str) -> str:
        """Answer a tlog-witness add-checkpoint: a cosignature line, or the reason it is refused."""
        origin = note_origin(checkpoint_note)
        if self.origin is not None and origin != self.origin:
            raise UnknownLog(f"witness {self.name} follows no log {origin!r}")
        try:
            checkpoint = open_checkpoint(checkpoint_note, origin, self._log_key)
        except SignatureInvalid as exc:
            raise NotSignedByLog(f"witness {self.name}: {exc}") from exc
        previous = self.latest(origin)
        cosigned = 0 if previous is None else previous[0]
        if old_size > checkpoint.size:
            raise OldSizeAboveCheckpoint(
                f"witness {self.name}: size {checkpoint.size} is below the old size {old_size}"
            )
        if old_size != cosigned:
            raise OldSizeMismatch(f"witness {self.name} last cosigned size {cosigned}", cosigned)
        # Every tree extends the empty one, so only a non-empty cosigned tree constrains the next.
        if previous is not None and cosigned > 0:
            if checkpoint.size == cosigned and checkpoint.root != previous[1]:
                raise SameSizeOtherRoot(
                    f"witness {self.name}: size {cosigned} was cosigned with another root"
                )
            try:
                verify_consistency(cosigned, checkpoint.size, previous[1], checkpoint.root, proof)
            except ProofInvalid as exc:
                raise ExtensionUnproven(
                    f"witness {self.name}: checkpoint at size {checkpoint.size} does not extend"
                    f" the one cosigned at size {cosigned} ({exc})"
                ) from exc
        try:
            # Compare-and-set: only move forward from the exact state that was checked.
            self._state.advance(origin, previous, checkpoint.size, checkpoint.root)
        except WitnessStateRaced as exc:
            now = self.latest_size(origin)
            raise OldSizeMismatch(f"witness {self.name} moved to size {now}", now) from exc
        now = int(time.time())
        lines = cosign_body(checkpoint.body, self.name, self._key, now)
        if self._pq_key is not None:
            # The post-quantum cosignature goes beside the Ed25519 one, never instead of it.
            lines += cosign_mldsa(checkpoint, self.name, self._pq_key, now)
        return lines
