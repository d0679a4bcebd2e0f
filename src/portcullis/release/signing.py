"""Sign a package with the release key and verify it: Ed25519 over its RFC 8785 canonical JSON."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any, Final

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from portcullis.errors import PortcullisError
from portcullis.keys import fingerprint

SIGNED_FORMAT: Final = "portcullis.signed-package/v1"
SIGNATURE_ALGORITHM: Final = "Ed25519"
# Prefixed to the signed bytes so that a release signature can never be replayed as a signature
# over some other kind of document made with the same canonical JSON.
SIGNING_CONTEXT: Final = b"portcullis release package v1\n"


class PackageMalformedError(PortcullisError):
    """Decrypted bytes are not a signed package in the expected shape."""


class SignatureInvalidError(PortcullisError):
    """A package's Ed25519 signature does not verify under the release public key."""


def canonical_package_bytes(package: Mapping[str, object]) -> bytes:
    """Return the RFC 8785 canonical JSON of a package."""
    # rfc8785 types its input as a closed JSON union; the checks it makes at run time are the
    # ones that matter, so hand it the mapping as it is.
    value: Any = dict(package)
    try:
        return bytes(rfc8785.dumps(value))
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise PackageMalformedError(f"the package is not plain JSON: {exc}") from exc


def sign_package(package: Mapping[str, object], signer: Ed25519PrivateKey) -> bytes:
    """Return the signed document: canonical JSON holding the package and its signature."""
    signature = signer.sign(SIGNING_CONTEXT + canonical_package_bytes(package))
    document = {
        "format": SIGNED_FORMAT,
        "package": dict(package),
        "signature": {
            "algorithm": SIGNATURE_ALGORITHM,
            "key_id": fingerprint(signer.public_key()),
            "value": base64.b64encode(signature).decode("ascii"),
        },
    }
    return canonical_package_bytes(document)


def verify_signed_package(document: bytes, public_key: Ed25519PublicKey) -> dict[str, object]:
    """Check a signed document's signature and return the package it carries."""
    try:
        parsed = json.loads(document)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageMalformedError(f"the decrypted package is not JSON: {exc}") from exc
    if not isinstance(parsed, dict) or parsed.get("format") != SIGNED_FORMAT:
        raise PackageMalformedError(f"the decrypted document is not a {SIGNED_FORMAT}")
    package, signature = parsed.get("package"), parsed.get("signature")
    if not isinstance(package, dict) or not isinstance(signature, dict):
        raise PackageMalformedError("the signed document lacks its package or signature")
    if signature.get("algorithm") != SIGNATURE_ALGORITHM:
        raise PackageMalformedError(
            f"unsupported signature algorithm {signature.get('algorithm')!r}"
        )
    try:
        value = base64.b64decode(str(signature.get("value", "")), validate=True)
    except binascii.Error as exc:
        raise PackageMalformedError("the signature is not base64") from exc
    try:
        public_key.verify(value, SIGNING_CONTEXT + canonical_package_bytes(package))
    except InvalidSignature as exc:
        raise SignatureInvalidError(
            f"the package signature does not verify under release key {fingerprint(public_key)}"
        ) from exc
    return package
