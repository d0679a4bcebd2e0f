"""Whole-request refusals: each names its condition and carries a reason code and citation."""

from __future__ import annotations

from portcullis.checks.reasons import REASONS
from portcullis.errors import PortcullisError


class RequestRefused(PortcullisError):
    """A request is refused as a whole; the refusal is recorded like any decision."""

    code: str = "request_refused"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            # Intake refuses for reasons found outside the checks (unreadable file, replay...).
            self.code = code

    @property
    def citation(self) -> str:
        """Return the legal citation of this refusal's reason code."""
        return REASONS[self.code].citation


class ManifestRejected(RequestRefused):
    """The signed manifest is malformed."""

    code = "manifest_malformed"


class ProgramMismatch(RequestRefused):
    """The manifest names another program."""

    code = "program_mismatch"


class AgencyMismatch(RequestRefused):
    """The manifest names another requesting agency."""

    code = "agency_mismatch"


class SignerNotAuthorized(RequestRefused):
    """The signer is not an authorized signer of the program."""

    code = "signer_not_authorized"


class SignerKeyRetired(RequestRefused):
    """The request is signed with a key the program retired before the day of receipt."""

    code = "signer_key_retired"


class SignatureInvalid(RequestRefused):
    """The signature does not verify under the signer's registered key."""

    code = "signature_invalid"


class FileHashMismatch(RequestRefused):
    """The request file's SHA-256 differs from the signed one."""

    code = "file_hash_mismatch"


class ItemCountMismatch(RequestRefused):
    """The request file holds a different number of items from the signed count."""

    code = "item_count_mismatch"


class CertificationMissing(RequestRefused):
    """The manifest lacks the use-only-for-this-matter certification."""

    code = "certification_missing"


class ManifestFromFuture(RequestRefused):
    """The manifest is dated later than its receipt."""

    code = "manifest_from_future"


class ProgramOutOfTerm(RequestRefused):
    """The program's agreement is not in force at receipt."""

    code = "program_out_of_term"


class BatchTooLarge(RequestRefused):
    """The request exceeds the program's batch size."""

    code = "batch_too_large"


class SignerLoadExceeded(RequestRefused):
    """The signer's items today would exceed the program's per-signer limit."""

    code = "signer_load_exceeded"
