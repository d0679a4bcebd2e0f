"""Encrypt bytes to one recipient agency and decrypt them again, with age or with CMS."""

from __future__ import annotations

import pyrage
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.serialization import pkcs7

from portcullis.errors import PortcullisError
from portcullis.release.recipients import (
    AgeIdentity,
    AgeRecipient,
    CmsIdentity,
    CmsRecipient,
    Identity,
    Recipient,
)

AGE_MAGIC = b"age-encryption.org/v1\n"


class DecryptionFailedError(PortcullisError):
    """A sealed package cannot be decrypted with the identity given (wrong key or damaged bytes)."""


def encrypt_for(recipient: Recipient, plaintext: bytes) -> bytes:
    """Encrypt `plaintext` to `recipient`: the age binary format, or CMS EnvelopedData in DER."""
    if isinstance(recipient, AgeRecipient):
        return bytes(
            pyrage.encrypt(plaintext, [pyrage.x25519.Recipient.from_str(recipient.public_key)])
        )
    return _encrypt_cms(recipient, plaintext)


def decrypt_with(identity: Identity, sealed: bytes) -> bytes:
    """Decrypt bytes made by `encrypt_for` with the recipient's identity."""
    if isinstance(identity, AgeIdentity):
        if not sealed.startswith(AGE_MAGIC):
            raise DecryptionFailedError("the sealed package is not in the age format")
        try:
            key = pyrage.x25519.Identity.from_str(identity.secret_key)
            return bytes(pyrage.decrypt(sealed, [key]))
        except (pyrage.DecryptError, pyrage.IdentityError) as exc:
            raise DecryptionFailedError(f"cannot decrypt the age package: {exc}") from exc
    return _decrypt_cms(identity, sealed)


def _encrypt_cms(recipient: CmsRecipient, plaintext: bytes) -> bytes:
    # cryptography 50 wraps the content key with RSA PKCS#1 v1.5 (it offers no RSA-OAEP yet);
    # docs/release.md explains what that means for partners bound to FIPS 140.
    return (
        pkcs7.PKCS7EnvelopeBuilder()
        .set_data(plaintext)
        .add_recipient(recipient.certificate())
        .set_content_encryption_algorithm(algorithms.AES256)
        .encrypt(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    )


def _decrypt_cms(identity: CmsIdentity, sealed: bytes) -> bytes:
    try:
        return pkcs7.pkcs7_decrypt_der(sealed, identity.certificate, identity.private_key, [])
    except ValueError as exc:
        raise DecryptionFailedError(f"cannot decrypt the CMS package: {exc}") from exc
