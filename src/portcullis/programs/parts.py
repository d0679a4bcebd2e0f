"""The parts of a disclosure program: signers, witnesses, term, limits, review, status."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from portcullis.contract.usps import ZIP_CODE_PATTERN
from portcullis.keys import KeyUnreadable, public_key_from_b64
from portcullis.matching.release_line import REVIEW_FLOOR

# 6103(b)(6) "taxpayer identity" plus the tax year of the address: nothing else may be released.
IDENTITY_FIELDS: frozenset[str] = frozenset(
    {"first_name", "middle_name", "last_name", "name_suffix", "tin"}
    | {"street", "unit", "city", "state", "zip", "address_tax_year"}
)

Authority = Literal["agency_head", "inspector_general", "component_head"]
SignerPolicy = Literal["agency_head_only", "component_head_by_delegation"]


def _check_public_key(value: str) -> str:
    try:
        public_key_from_b64(value)
    except KeyUnreadable as exc:
        raise ValueError(str(exc)) from exc
    return value


PublicKeyB64 = Annotated[str, AfterValidator(_check_public_key)]


class FrozenModel(BaseModel):
    """A strict, immutable model: unknown keys are errors, text is stripped."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Signer(FrozenModel):
    """An official of the requesting agency whose key may sign written requests."""

    key_id: str = Field(min_length=1)
    public_key: PublicKeyB64
    name: str = Field(min_length=1)
    title: str = Field(min_length=1)
    authority: Authority
    delegation: str | None = None  # the delegation instrument, required for a component head
    # The first day (UTC) from which a request received under this key is refused (a rotated key).
    retired_from: dt.date | None = None

    @model_validator(mode="after")
    def _check_delegation(self) -> Signer:
        if self.authority == "component_head" and not self.delegation:
            raise ValueError("a component head signs only under a named delegation")
        return self

    def retired_on(self, day: dt.date) -> bool:
        """Tell whether this key is retired on `day`, so a request received then is refused."""
        return self.retired_from is not None and day >= self.retired_from


class Witness(FrozenModel):
    """An oversight witness that cosigns ledger checkpoints."""

    name: str = Field(min_length=1)
    public_key: PublicKeyB64


class Term(FrozenModel):
    """The dates between which the agreement is in force, both inclusive."""

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _check_order(self) -> Term:
        if self.end < self.start:
            raise ValueError("term end is before its start")
        return self

    def covers(self, day: dt.date) -> bool:
        """Tell whether the agreement is in force on `day`."""
        return self.start <= day <= self.end


class AgencyAddress(FrozenModel):
    """An address that is not a taxpayer's own (an office, detention facility or court)."""

    label: str = Field(min_length=1)
    street: str = Field(min_length=1)
    zip: str = Field(pattern=f"^{ZIP_CODE_PATTERN}$")


class Limits(FrozenModel):
    """Load limits on requests, signers and recipient officers."""

    max_batch_items: int = Field(gt=0)
    max_signer_items_per_day: int = Field(gt=0)
    max_open_items_per_officer: int = Field(gt=0)


class Review(FrozenModel):
    """When a request or an item goes to a human reviewer instead of deciding automatically."""

    max_refusal_share: float = Field(gt=0.0, le=1.0)
    match_disclose_at: float = Field(ge=0.0, le=1.0)
    # The review floor (matching.release_line): an item held for review whose posterior that the
    # best candidate is the person lies below it ends no_match instead of waiting for a person.
    match_review_at: float = Field(default=REVIEW_FLOOR, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _check_order(self) -> Review:
        if self.match_review_at > self.match_disclose_at:
            raise ValueError("match_review_at is above match_disclose_at")
        return self


class Periods(FrozenModel):
    """Which tax years an item may name, and how many."""

    earliest_tax_year: int = Field(default=1990, ge=1913)
    max_years: int = Field(default=6, gt=0)


class Specificity(FrozenModel):
    """How specific each item's case number and reason must be (an open legal question)."""

    min_reason_length: int = Field(default=20, gt=0)
    unique_case_per_item: bool = False


class StandingApproval(FrozenModel):
    """The IRS official whose standing approval covers automatic releases (Deleg. Order 11-2)."""

    official: str = Field(min_length=1)
    title: str = Field(min_length=1)
    delegation_order: str = Field(min_length=1)


class Suspension(FrozenModel):
    """A court order that stops every release under the program."""

    order_reference: str = Field(min_length=1)
    since: dt.date


class Safeguards(FrozenModel):
    """The recipient agency's standing under 6103(p)(4) safeguard reviews."""

    open_findings: bool = False
    corrective_plan: bool = False

    def block(self) -> bool:
        """Tell whether open findings without a corrective plan block every release."""
        return self.open_findings and not self.corrective_plan
