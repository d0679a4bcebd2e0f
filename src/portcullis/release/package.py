"""The disclosure package: build it from a release view, seal it for the recipient, open it."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from portcullis.errors import PortcullisError
from portcullis.release.encryption import decrypt_with, encrypt_for
from portcullis.release.recipients import Identity, Recipient
from portcullis.release.signing import (
    PackageMalformedError,
    canonical_package_bytes,
    sign_package,
    verify_signed_package,
)
from portcullis.release.view import ReleaseView

PACKAGE_FORMAT: Final = "portcullis.release-package/v1"
AUTHORITY: Final = "26 U.S.C. 6103(i)(2)"
EVIDENCE_STATEMENT: Final = (
    "This address was found by an automated match of the request against IRS records. "
    "A match is evidence, not verification: before any adverse action against this person, "
    "independently verify the match and the information, and give the person notice and an "
    "opportunity to contest it."
)
USE_STATEMENT: Final = (
    "Released solely for use in the criminal investigation or proceeding named in the request "
    "(26 U.S.C. 6103(i)(2)(A)). Safeguard it under 26 U.S.C. 6103(p)(4), disclose it to no one "
    "else, and return or destroy it by the retention date."
)

# A receipt checker is given the verified package; it raises, or returns False, to reject the
# receipt (returning None or True accepts it), so the ledger's own raising verifier fits as is.
ReceiptCheck = Callable[[Mapping[str, object]], bool | None]


class NotAReleaseViewError(PortcullisError):
    """A package was asked for from something other than a ReleaseView."""


class PackageInvalidError(PortcullisError):
    """A package's references, officers, confidence or dates are missing or out of range."""


class ReceiptInvalidError(PortcullisError):
    """A package's ledger receipt does not prove that its decision is in the ledger."""


def build_package(
    view: ReleaseView,
    *,
    request_id: str,
    item_id: str,
    program_id: str,
    recipient_officers: Sequence[str],
    match_confidence: float,
    receipt: Mapping[str, object],
    released_at: dt.datetime,
    retention_until: dt.date,
) -> dict[str, object]:
    """Return the JSON package for one released item, carrying only the fields of `view`."""
    if not isinstance(view, ReleaseView):
        raise NotAReleaseViewError("a package is built only from a ReleaseView")
    for name, value in (
        ("request_id", request_id),
        ("item_id", item_id),
        ("program_id", program_id),
    ):
        if not value.strip():
            raise PackageInvalidError(f"the package needs a {name}")
    officers = [officer.strip() for officer in recipient_officers]
    if isinstance(recipient_officers, str) or not officers or not all(officers):
        raise PackageInvalidError("the package needs one or more named recipient officers")
    if not math.isfinite(match_confidence) or not 0.0 <= match_confidence <= 1.0:
        raise PackageInvalidError(f"match confidence {match_confidence} is not between 0 and 1")
    if released_at.tzinfo is None:
        raise PackageInvalidError("released_at must carry a time zone")
    if retention_until < released_at.date():
        raise PackageInvalidError("retention_until is before the release date")
    package: dict[str, object] = {
        "format": PACKAGE_FORMAT,
        "authority": AUTHORITY,
        "program_id": program_id,
        "request_id": request_id,
        "item_id": item_id,
        "recipient_officers": officers,
        "released_at": _utc_text(released_at),
        "retention_until": retention_until.isoformat(),
        "disclosed": dict(view),
        "match": {"confidence": match_confidence, "statement": EVIDENCE_STATEMENT},
        "use": USE_STATEMENT,
        "receipt": dict(receipt),
    }
    # Fail here, at build time, if the receipt holds anything that is not plain JSON.
    canonical_package_bytes(package)
    return package


def seal_package(
    package: dict[str, object], *, signer: Ed25519PrivateKey, recipient: Recipient
) -> bytes:
    """Sign the package with the release key, then encrypt the signed document to the recipient."""
    if package.get("format") != PACKAGE_FORMAT:
        raise PackageMalformedError(f"only a {PACKAGE_FORMAT} package can be sealed")
    return encrypt_for(recipient, sign_package(package, signer))


def open_package(
    sealed: bytes,
    *,
    identity: Identity,
    release_public_key: Ed25519PublicKey,
    verify_receipt: ReceiptCheck | None = None,
) -> dict[str, object]:
    """Decrypt a sealed package, verify its signature and, if a checker is given, its receipt."""
    package = verify_signed_package(decrypt_with(identity, sealed), release_public_key)
    if package.get("format") != PACKAGE_FORMAT:
        raise PackageMalformedError(f"the signed document does not carry a {PACKAGE_FORMAT}")
    if not isinstance(package.get("receipt"), dict):
        raise PackageMalformedError("the package carries no ledger receipt")
    if verify_receipt is not None:
        _check_receipt(package, verify_receipt)
    return package


def _check_receipt(package: dict[str, object], verify_receipt: ReceiptCheck) -> None:
    try:
        verified = verify_receipt(package)
    except PortcullisError as exc:
        raise ReceiptInvalidError(f"the ledger receipt does not verify: {exc}") from exc
    if verified is False:
        raise ReceiptInvalidError("the ledger receipt does not verify")


def _utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
