"""The JSON shapes the API reads and writes, as they appear in its OpenAPI document."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Outcome = Literal["disclosed", "refused", "no_match", "ambiguous", "pending_review"]


class Strict(BaseModel):
    """A request body: unknown fields and loosely typed values are refused."""

    model_config = ConfigDict(extra="forbid", strict=True)


class TokenOut(BaseModel):
    """An OAuth 2.0 access token response (RFC 6749 section 5.1)."""

    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int


class ItemOut(BaseModel):
    """One item's outcome as its requester may see it."""

    row: int
    item_id: str | None
    outcome: Outcome | None
    reason_codes: list[str]
    package: str | None = Field(description="Path of the sealed package, once released.")


class RequestOut(BaseModel):
    """A request's progress: status, queue state and how many items are decided."""

    request_id: str
    program_id: str
    requesting_agency: str | None
    status: str
    item_count: int
    decided: int
    received_at: dt.datetime
    finished_at: dt.datetime | None
    job_state: str | None
    outcomes: list[ItemOut] | None = None


class SignatureIn(Strict):
    """An Ed25519 signature over the RFC 8785 canonical JSON of the manifest."""

    algorithm: Literal["ed25519"]
    value: str = Field(max_length=200, description="Base64 of the 64-byte signature.")


class ItemRequestIn(Strict):
    """One signed item: the contract's manifest for a one-item file, the item, the signature."""

    manifest: dict[str, Any] = Field(
        description=(
            "The signed manifest (docs/manifest.md) with item_count 1 and file_sha256 the SHA-256 "
            "of the item's RFC 8785 canonical JSON."
        )
    )
    item: dict[str, str | None] = Field(
        min_length=1, description="The item: the request file's columns (CONTRACT.md section 2)."
    )
    signature: SignatureIn


class ItemAnswerOut(BaseModel):
    """The answer about one item, given once its decision is under a witnessed checkpoint."""

    request_id: str
    program_id: str
    status: str
    item: ItemOut
    package: str | None = Field(description="Base64 of the sealed package, when released.")
    receipt: dict[str, Any] | None = Field(
        description="The package's ledger receipt: cosigned checkpoint and inclusion proof."
    )


class RequestList(BaseModel):
    """A page of request ids, newest first."""

    request_ids: list[str]


class HeldItemOut(BaseModel):
    """An item waiting for a reviewer, with the evidence the reviewer must see."""

    item_pk: int
    request_id: str
    row: int
    item_id: str | None
    reason_codes: list[str]
    request_item: dict[str, Any]
    candidate: dict[str, Any] | None
    match_score: float | None
    evidence: dict[str, Any] | None
    findings: list[dict[str, Any]]


class ReviewIn(Strict):
    """A reviewer's settlement of one held item."""

    approve: bool
    reason: str = Field(min_length=1, max_length=2000, pattern=r"\S")


class ReviewOut(BaseModel):
    """The final outcome a review produced."""

    item_pk: int
    outcome: Outcome


class ProposalIn(Strict):
    """A proposed program change: dotted keys with new values, and why."""

    changes: dict[str, Any] = Field(min_length=1)
    why: str = Field(min_length=1, max_length=2000, pattern=r"\S")


class ProposalOut(BaseModel):
    """A program change awaiting, or having had, a second admin's confirmation."""

    id: int
    program_id: str
    changes: dict[str, Any]
    why: str
    proposed_by: str
    proposed_at: dt.datetime
    state: str
    confirmed_by: str | None
    version: int | None


class SuspendIn(Strict):
    """A court order suspending a program."""

    order_reference: str = Field(min_length=1, max_length=400, pattern=r"\S")
    why: str = Field(min_length=1, max_length=2000, pattern=r"\S")


class ChangeOut(BaseModel):
    """One recorded program change."""

    version: int
    actor: str
    changed_at: dt.datetime
    why: str
    what: dict[str, list[Any]]


class CheckpointOut(BaseModel):
    """The latest signed checkpoint with the keys that verify it."""

    origin: str
    size: int
    root: str
    note: str
    ledger_public_key: str
    witness_keys: dict[str, str]


class ProofOut(BaseModel):
    """An RFC 9162 proof: base64 hashes from leaf to root."""

    hashes: list[str]


class HealthOut(BaseModel):
    """Whether the service is up (health) or ready to take requests (readiness)."""

    status: Literal["ok"]


class JobOut(BaseModel):
    """A request's place in the processing queue."""

    request_id: str
    state: str
    lease_owner: str | None
    attempts: int
    error: str | None


class AccessOut(BaseModel):
    """One access-log row."""

    at: dt.datetime
    principal: str | None
    client: str | None
    method: str
    path: str
    status: int
