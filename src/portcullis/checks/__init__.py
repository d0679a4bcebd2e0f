"""Statutory and program checks: whole requests, items and batches, with cited reason codes."""

from portcullis.checks.address import address_findings, record_address_findings
from portcullis.checks.agreement import check_address_agreement
from portcullis.checks.batch import BatchVerdict, check_batch
from portcullis.checks.duplicates import (
    duplicate_key,
    normalise_case_number,
    normalise_token,
    normalised_name_key,
)
from portcullis.checks.exclusions import (
    ExclusionCategory,
    ExclusionInvalid,
    add_exclusion,
    load_exclusions,
    screen_taxpayer,
)
from portcullis.checks.findings import Finding, finding, outward_codes
from portcullis.checks.items import ItemContext, check_items
from portcullis.checks.periods import TaxablePeriodsInvalid, tax_years
from portcullis.checks.reasons import REASONS, Reason
from portcullis.checks.refusals import (
    AgencyMismatch,
    BatchTooLarge,
    CertificationMissing,
    FileHashMismatch,
    ItemCountMismatch,
    ManifestFromFuture,
    ManifestRejected,
    ProgramMismatch,
    ProgramOutOfTerm,
    RequestRefused,
    SignatureInvalid,
    SignerKeyRetired,
    SignerLoadExceeded,
    SignerNotAuthorized,
)
from portcullis.checks.request import VerifiedRequest, verify_request
from portcullis.checks.statutory import ignored_field_notes, statutory_findings
from portcullis.checks.street import StreetLine, StreetLineRefused, is_street_line, read_street_line
from portcullis.contract.usps import USPS_STATES

__all__ = [
    "REASONS",
    "USPS_STATES",
    "AgencyMismatch",
    "BatchTooLarge",
    "BatchVerdict",
    "CertificationMissing",
    "ExclusionCategory",
    "ExclusionInvalid",
    "FileHashMismatch",
    "Finding",
    "ItemContext",
    "ItemCountMismatch",
    "ManifestFromFuture",
    "ManifestRejected",
    "ProgramMismatch",
    "ProgramOutOfTerm",
    "Reason",
    "RequestRefused",
    "SignatureInvalid",
    "SignerKeyRetired",
    "SignerLoadExceeded",
    "SignerNotAuthorized",
    "StreetLine",
    "StreetLineRefused",
    "TaxablePeriodsInvalid",
    "VerifiedRequest",
    "add_exclusion",
    "address_findings",
    "check_address_agreement",
    "check_batch",
    "check_items",
    "duplicate_key",
    "finding",
    "ignored_field_notes",
    "is_street_line",
    "load_exclusions",
    "normalise_case_number",
    "normalise_token",
    "normalised_name_key",
    "outward_codes",
    "read_street_line",
    "record_address_findings",
    "screen_taxpayer",
    "statutory_findings",
    "tax_years",
    "verify_request",
]
