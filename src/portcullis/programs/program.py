"""The Program model: one agreement, validated whole so an unlawful configuration never loads."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from portcullis.programs.parts import (
    IDENTITY_FIELDS,
    AgencyAddress,
    FrozenModel,
    Limits,
    Periods,
    Review,
    Safeguards,
    Signer,
    SignerPolicy,
    Specificity,
    StandingApproval,
    Suspension,
    Term,
    Witness,
)
from portcullis.programs.statutes import Citation, CitationUnparseable, parse_citation

Status = Literal["active", "suspended", "blocked"]
LEGAL_BASIS = parse_citation("26 U.S.C. 6103(i)(2)")


class Program(FrozenModel):
    """A versioned disclosure program: who may ask, for what, under which limits, and its status."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    requesting_agency: str = Field(min_length=1)
    legal_basis: str
    allowed_statutes: tuple[str, ...] = Field(min_length=1)
    required_columns: tuple[str, ...] = ()
    release_fields: tuple[str, ...] = Field(min_length=1)
    signer_policy: SignerPolicy
    signers: tuple[Signer, ...] = ()
    witnesses: tuple[Witness, ...] = ()
    witness_quorum: int = Field(ge=0)
    term: Term
    limits: Limits
    address_must_agree: bool
    # Addresses that are never the taxpayer's own: a request giving one is refused (B)(i).
    agency_addresses: tuple[AgencyAddress, ...] = ()
    review: Review
    periods: Periods = Periods()
    specificity: Specificity = Specificity()
    standing_approval: StandingApproval | None = None
    retention_days: int = Field(gt=0)
    # Whether, and after how many days, a taxpayer may see a release about them (LEGAL.md §4.4).
    taxpayer_view: bool = True
    taxpayer_embargo_days: int = Field(default=365, ge=0)
    suspension: Suspension | None = None
    safeguards: Safeguards = Safeguards()

    @field_validator("legal_basis")
    @classmethod
    def _check_basis(cls, value: str) -> str:
        if not _parse(value).within(LEGAL_BASIS):
            raise ValueError(f"{value!r} is not 26 U.S.C. 6103(i)(2)")
        return str(_parse(value))

    @field_validator("allowed_statutes")
    @classmethod
    def _check_statutes(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        normal: list[str] = []
        for text in values:
            citation = _parse(text)
            if citation.is_tax():
                raise ValueError(f"{text!r} is a tax statute; 6103(i)(2) serves non-tax matters")
            if citation.is_civil():
                raise ValueError(f"{text!r} is a civil provision; 6103(i)(2) needs a criminal one")
            if str(citation) not in normal:
                normal.append(str(citation))
        return tuple(normal)

    @field_validator("release_fields")
    @classmethod
    def _check_release(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        extra = sorted(set(values) - IDENTITY_FIELDS)
        if extra:
            raise ValueError(f"{', '.join(extra)} is not taxpayer identity (6103(b)(6))")
        return values

    @model_validator(mode="after")
    def _check_consistency(self) -> Program:
        key_ids = [signer.key_id for signer in self.signers]
        if len(set(key_ids)) != len(key_ids):
            raise ValueError("signers: a key_id appears twice")
        if self.signer_policy == "agency_head_only":
            for signer in self.signers:
                if signer.authority == "component_head":
                    raise ValueError(
                        f"signer {signer.key_id} is a component head under agency_head_only"
                    )
        names = [witness.name for witness in self.witnesses]
        if len(set(names)) != len(names):
            raise ValueError("witnesses: a name appears twice")
        if self.witness_quorum > len(self.witnesses):
            raise ValueError(f"witness_quorum {self.witness_quorum} exceeds the witnesses listed")
        return self

    @property
    def status(self) -> Status:
        """Return 'suspended' under a court order, 'blocked' for open safeguards, else 'active'."""
        if self.suspension is not None:
            return "suspended"
        if self.safeguards.block():
            return "blocked"
        return "active"

    def signer(self, key_id: str) -> Signer | None:
        """Return the authorized signer holding `key_id`, if any."""
        return next((signer for signer in self.signers if signer.key_id == key_id), None)

    def allows_statute(self, citation: Citation) -> bool:
        """Tell whether `citation` is an allowed statute or one of its subdivisions."""
        return any(citation.within(parse_citation(allowed)) for allowed in self.allowed_statutes)


def _parse(text: str) -> Citation:
    try:
        return parse_citation(text)
    except CitationUnparseable as exc:
        raise ValueError(str(exc)) from exc
