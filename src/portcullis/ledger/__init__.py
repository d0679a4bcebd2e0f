"""The disclosure ledger: an RFC 9162 Merkle log of decisions, C2SP checkpoints and witnesses."""

from __future__ import annotations

from portcullis.ledger.checkpoint import Checkpoint
from portcullis.ledger.demo import create_demo_witnesses, load_witnesses
from portcullis.ledger.errors import (
    CheckpointInconsistent,
    EntryNotCheckpointed,
    LedgerError,
    ProofInvalid,
    ReceiptInvalid,
    SplitViewRefused,
)
from portcullis.ledger.export import export_ledger
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.receipt import Receipt, verify_receipt
from portcullis.ledger.verify import VerifyReport
from portcullis.ledger.witness import Witness

__all__ = [
    "Checkpoint",
    "CheckpointInconsistent",
    "EntryNotCheckpointed",
    "Ledger",
    "LedgerError",
    "ProofInvalid",
    "Receipt",
    "ReceiptInvalid",
    "SplitViewRefused",
    "VerifyReport",
    "Witness",
    "create_demo_witnesses",
    "export_ledger",
    "load_witnesses",
    "verify_receipt",
]
