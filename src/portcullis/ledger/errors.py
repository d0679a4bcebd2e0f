"""Conditions the ledger reports, each a one-line reason for the operator."""

from __future__ import annotations

from portcullis.errors import PortcullisError


class LedgerError(PortcullisError):
    """Base for every failure raised by the disclosure ledger."""


class ProofInvalid(LedgerError):
    """An inclusion or consistency proof does not lead to the expected root."""


class IndexOutOfRange(LedgerError):
    """A leaf index or tree size lies outside the ledger as it stands."""


class EntryNotAnObject(LedgerError):
    """An entry handed to the ledger is not a JSON object that canonical JSON can encode."""


class NoteMalformed(LedgerError):
    """A signed note or checkpoint text breaks the C2SP format."""


class SignatureInvalid(LedgerError):
    """A note carries no valid signature from the key expected to sign it."""


class CheckpointInconsistent(LedgerError):
    """A new tree head does not extend the last signed one, so it is never signed."""


class SplitViewRefused(LedgerError):
    """A witness saw a checkpoint that does not extend the last one it cosigned."""


class EntryNotCheckpointed(LedgerError):
    """An entry is not yet covered by any signed checkpoint."""


class ReceiptInvalid(LedgerError):
    """A disclosure receipt fails verification for the reason given."""


class LedgerKeyRetired(LedgerError):
    """This process holds a ledger key that rotation has retired; it may sign nothing more."""
