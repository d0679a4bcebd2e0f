"""What the ledger records after a release: recalls and the recipient's receipt and disposal."""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal

from portcullis.aftercare.moments import utc_text
from portcullis.entries import LEGAL_BASIS

RECALL: Final = "recall"
RECEIPT_CONFIRMED: Final = "receipt_confirmed"
DISPOSAL_CONFIRMED: Final = "disposal_confirmed"

Confirmation = Literal["receipt_confirmed", "disposal_confirmed"]


def recall_key(item_pk: int) -> str:
    """Return the idempotency key of a release's recall entry."""
    return f"recall/{item_pk}"


def confirmation_key(kind: Confirmation, item_pk: int) -> str:
    """Return the idempotency key of a release's receipt or disposal confirmation entry."""
    return f"{'receipt' if kind == RECEIPT_CONFIRMED else 'disposal'}/{item_pk}"


def recall_entry(
    *,
    request_id: str,
    row: int,
    item_id: str | None,
    program_id: str,
    decision_index: int | None,
    reason: str,
    recalled_by: str,
    recalled_at: dt.datetime,
) -> dict[str, object]:
    """Build the ledger entry for the recall of one release."""
    return {
        "kind": RECALL,
        "request_id": request_id,
        "row": row,
        "item_id": item_id,
        "program": program_id,
        "legal_basis": LEGAL_BASIS,
        "decision_index": decision_index,
        "reason": reason,
        "recalled_by": recalled_by,
        "recalled_at": utc_text(recalled_at),
    }


def confirmation_entry(
    kind: Confirmation,
    *,
    request_id: str,
    row: int,
    item_id: str | None,
    program_id: str,
    confirmed_by: str,
    confirmed_at: dt.datetime,
) -> dict[str, object]:
    """Build the ledger entry for the recipient's confirmation of receipt or of disposal."""
    return {
        "kind": kind,
        "request_id": request_id,
        "row": row,
        "item_id": item_id,
        "program": program_id,
        "legal_basis": LEGAL_BASIS,
        "confirmed_by": confirmed_by,
        "confirmed_at": utc_text(confirmed_at),
    }
