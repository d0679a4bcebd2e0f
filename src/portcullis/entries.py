"""What the ledger records for each event: public facts, TINs and released values keyed-hashed."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping, Sequence

LEGAL_BASIS = "26 U.S.C. 6103(i)(2)"


def keyed_hash(key: bytes, value: str) -> str:
    """Return HMAC-SHA256 of `value` under the workspace's hash key, as hex."""
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def decision_entry(
    *,
    key: bytes,
    request_id: str,
    program_id: str,
    program_version: int,
    row: int,
    item_id: str | None,
    statute: str | None,
    officers: Sequence[str],
    outcome: str,
    reason_codes: Sequence[str],
    tin: str | None,
    released: Mapping[str, object] | None,
    match_summary: Mapping[str, object] | None,
    approval: str | None,
    decided_by: str,
    decided_at: dt.datetime,
) -> dict[str, object]:
    """Build the ledger entry for one item decision (any outcome, holds included)."""
    return {
        "kind": "decision",
        "request_id": request_id,
        "row": row,
        "item_id": item_id,
        "program": program_id,
        "program_version": program_version,
        "legal_basis": LEGAL_BASIS,
        "statute": statute,
        "recipient_officers": list(officers),
        "outcome": outcome,
        "reason_codes": list(reason_codes),
        "taxpayer": keyed_hash(key, tin) if tin else None,
        "released": _hashed_values(key, released) if released is not None else None,
        "match": dict(match_summary) if match_summary is not None else None,
        "approval": approval,
        "decided_by": decided_by,
        "decided_at": decided_at.isoformat(),
    }


def intake_refusal_entry(
    *,
    request_id: str | None,
    program_id: str | None,
    file_sha256: str,
    code: str,
    reason: str,
    received_at: dt.datetime,
) -> dict[str, object]:
    """Build the ledger entry for a request refused as a whole."""
    return {
        "kind": "request_refused",
        "request_id": request_id,
        "program": program_id,
        "legal_basis": LEGAL_BASIS,
        "file_sha256": file_sha256,
        "code": code,
        "reason": reason,
        "decided_at": received_at.isoformat(),
    }


def _hashed_values(key: bytes, released: Mapping[str, object]) -> dict[str, str | None]:
    # Field names stay readable so an auditor sees *what* went out; values are keyed hashes.
    return {
        name: (keyed_hash(key, str(value)) if value is not None else None)
        for name, value in sorted(released.items())
    }
