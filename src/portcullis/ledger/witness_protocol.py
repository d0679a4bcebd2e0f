"""C2SP tlog-witness `add-checkpoint`: the request body, and each refusal with its HTTP status."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from portcullis.ledger.checkpoint import is_plain_decimal
from portcullis.ledger.errors import LedgerError, SignatureInvalid, SplitViewRefused
from portcullis.ledger.hashing import HASH_SIZE

# The spec bounds a consistency proof to 63 hashes (one per level of a 2**63 tree).
MAX_PROOF_LINES = 63
SIZE_CONTENT_TYPE = "text/x.tlog.size"


class WitnessRefused(LedgerError):
    """A witness declined to cosign; `status` is the HTTP status the protocol gives the reason."""

    status = 400


class UnknownLog(WitnessRefused):
    """The witness follows no log of the checkpoint's origin."""

    status = 404


class NotSignedByLog(WitnessRefused, SignatureInvalid):
    """No signature on the checkpoint verifies under the log key the witness trusts."""

    status = 403


class OldSizeAboveCheckpoint(WitnessRefused, SplitViewRefused):
    """The old size exceeds the checkpoint's: the checkpoint is older than the tree it extends."""

    status = 400


class OldSizeMismatch(WitnessRefused):
    """The client's old size is not the size the witness last cosigned; `latest` is that size."""

    status = 409

    def __init__(self, message: str, latest: int) -> None:
        super().__init__(message)
        self.latest = latest


class SameSizeOtherRoot(WitnessRefused, SplitViewRefused):
    """The checkpoint has the size the witness cosigned, with another root: a split view."""

    status = 409


class ExtensionUnproven(WitnessRefused, SplitViewRefused):
    """The consistency proof does not join the cosigned tree to the new one: a split view."""

    status = 422


class Cosigner(Protocol):
    """A witness as the ledger asks it: in-process (`Witness`) or over HTTP (`RemoteWitness`)."""

    name: str

    def latest_size(self, origin: str) -> int:
        """Return the size this witness is believed to have cosigned last for `origin`."""
        ...

    def add_checkpoint(self, old_size: int, proof: Sequence[bytes], checkpoint_note: str) -> str:
        """Return the witness's cosignature lines on the checkpoint, or raise its refusal."""
        ...


@dataclass(frozen=True, slots=True)
class AddCheckpoint:
    """One add-checkpoint request: the old size, the consistency proof and the checkpoint note."""

    old_size: int
    proof: tuple[bytes, ...]
    note: str

    def encode(self) -> bytes:
        """Write the request body: `old N`, one base64 hash a line, an empty line, the note."""
        lines = [f"old {self.old_size}"] + [base64.b64encode(h).decode() for h in self.proof]
        return ("\n".join(lines) + "\n\n" + self.note).encode("utf-8")


def parse_add_checkpoint(body: bytes) -> AddCheckpoint:
    """Read an add-checkpoint request body, refusing (400) any other form."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WitnessRefused("the request body is not UTF-8") from exc
    head, separator, note = text.partition("\n\n")
    lines = head.split("\n")
    if not separator or not lines[0].startswith("old "):
        raise WitnessRefused(
            "the body starts with an old size line and the proof, then a blank line"
        )
    size_text = lines[0].removeprefix("old ")
    if not is_plain_decimal(size_text):
        raise WitnessRefused(f"old size {size_text!r} is not a decimal without leading zeroes")
    if len(lines) - 1 > MAX_PROOF_LINES:
        raise WitnessRefused(f"a consistency proof has at most {MAX_PROOF_LINES} lines")
    proof: list[bytes] = []
    for line in lines[1:]:
        try:
            value = base64.b64decode(line, validate=True)
        except binascii.Error as exc:
            raise WitnessRefused("a proof line is not base64") from exc
        if len(value) != HASH_SIZE:
            raise WitnessRefused(f"a proof line is {len(value)} bytes, not {HASH_SIZE}")
        proof.append(value)
    if int(size_text) == 0 and proof:
        raise WitnessRefused("the proof must be empty when the old size is zero")
    return AddCheckpoint(int(size_text), tuple(proof), note)
