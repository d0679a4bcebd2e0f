"""The recall notice: which packages the recipient must stop using and destroy, sealed."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from portcullis.aftercare.moments import require_zone, utc_text
from portcullis.errors import PortcullisError
from portcullis.keys import fingerprint
from portcullis.release.encryption import decrypt_with, encrypt_for
from portcullis.release.recipients import Identity, Recipient
from portcullis.release.signing import (
    SIGNATURE_ALGORITHM,
    PackageMalformedError,
    SignatureInvalidError,
    canonical_package_bytes,
)

NOTICE_FORMAT: Final = "portcullis.recall-notice/v1"
SIGNED_NOTICE_FORMAT: Final = "portcullis.signed-recall-notice/v1"
AUTHORITY: Final = "26 U.S.C. 6103(i)(2); 26 U.S.C. 6103(p)(4)"
# A distinct prefix from the release package's, so neither signature can stand in for the other.
SIGNING_CONTEXT: Final = b"portcullis recall notice v1\n"
INSTRUCTION: Final = (
    "The information in the packages listed here is recalled. Stop using it at once, do not "
    "disclose it further, destroy every copy (including copies made from it), and confirm the "
    "disposal to the Internal Revenue Service, naming each package."
)


class NoticeInvalid(PortcullisError):
    """A recall notice lacks its reason, its items, or a time zone on a date it carries."""


@dataclass(frozen=True, slots=True)
class NoticeItem:
    """One recalled package as the notice names it, with the receipt of its recall entry."""

    item_id: str | None
    row: int
    released_at: dt.datetime
    package: str
    package_sha256: str
    recall_receipt: Mapping[str, object]


def build_recall_notice(
    *,
    request_id: str,
    program_id: str,
    reason: str,
    recalled_at: dt.datetime,
    recalled: Sequence[NoticeItem],
) -> dict[str, object]:
    """Return the JSON recall notice for the recalled packages of one request."""
    if not reason.strip():
        raise NoticeInvalid("a recall notice needs the reason for the recall")
    if not recalled:
        raise NoticeInvalid("a recall notice needs at least one recalled package")
    notice: dict[str, object] = {
        "format": NOTICE_FORMAT,
        "authority": AUTHORITY,
        "program_id": program_id,
        "request_id": request_id,
        "reason": reason,
        "recalled_at": utc_text(require_zone(recalled_at, "recalled_at")),
        "instruction": INSTRUCTION,
        "items": [
            {
                "item_id": item.item_id,
                "row": item.row,
                "released_at": utc_text(item.released_at),
                "package": item.package,
                "package_sha256": item.package_sha256,
                "recall_receipt": dict(item.recall_receipt),
            }
            for item in sorted(recalled, key=lambda item: item.row)
        ],
    }
    canonical_package_bytes(notice)
    return notice


def seal_recall_notice(
    notice: Mapping[str, object], *, signer: Ed25519PrivateKey, recipient: Recipient
) -> bytes:
    """Sign the notice with the release key, then encrypt the signed document to the recipient."""
    if notice.get("format") != NOTICE_FORMAT:
        raise PackageMalformedError(f"only a {NOTICE_FORMAT} can be sealed as a recall notice")
    signature = signer.sign(SIGNING_CONTEXT + canonical_package_bytes(notice))
    document = {
        "format": SIGNED_NOTICE_FORMAT,
        "notice": dict(notice),
        "signature": {
            "algorithm": SIGNATURE_ALGORITHM,
            "key_id": fingerprint(signer.public_key()),
            "value": base64.b64encode(signature).decode("ascii"),
        },
    }
    return encrypt_for(recipient, canonical_package_bytes(document))


def open_recall_notice(
    sealed: bytes, *, identity: Identity, release_public_key: Ed25519PublicKey
) -> dict[str, object]:
    """Decrypt a sealed recall notice, verify its signature and return the notice."""
    try:
        document = json.loads(decrypt_with(identity, sealed))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageMalformedError(f"the decrypted recall notice is not JSON: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != SIGNED_NOTICE_FORMAT:
        raise PackageMalformedError(f"the decrypted document is not a {SIGNED_NOTICE_FORMAT}")
    notice, signature = document.get("notice"), document.get("signature")
    if not isinstance(notice, dict) or not isinstance(signature, dict):
        raise PackageMalformedError("the signed recall notice lacks its notice or signature")
    if notice.get("format") != NOTICE_FORMAT or signature.get("algorithm") != SIGNATURE_ALGORITHM:
        raise PackageMalformedError("the signed recall notice is not in the expected shape")
    try:
        value = base64.b64decode(str(signature.get("value", "")), validate=True)
        release_public_key.verify(value, SIGNING_CONTEXT + canonical_package_bytes(notice))
    except binascii.Error as exc:
        raise PackageMalformedError("the recall notice signature is not base64") from exc
    except InvalidSignature as exc:
        raise SignatureInvalidError(
            "the recall notice signature does not verify under release key "
            f"{fingerprint(release_public_key)}"
        ) from exc
    return notice
