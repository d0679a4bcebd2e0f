"""Recipient agencies' encryption keys: age X25519 keys by default, X.509 certificates for CMS."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import pyrage
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from portcullis.errors import PortcullisError

CMS_KEY_BITS = 3072  # NIST SP 800-57 pairs 3072-bit RSA with 128-bit security.
CMS_CERTIFICATE_DAYS = 365


class RecipientInvalidError(PortcullisError):
    """A recipient key or certificate cannot be used to encrypt a package."""


class IdentityUnreadableError(PortcullisError):
    """A recipient's private key file is missing or is not the kind of key expected."""


@dataclass(frozen=True, slots=True)
class AgeRecipient:
    """A recipient agency's age X25519 public key, in its `age1...` text form."""

    public_key: str

    def __post_init__(self) -> None:
        try:
            pyrage.x25519.Recipient.from_str(self.public_key)
        except pyrage.RecipientError as exc:
            raise RecipientInvalidError(f"not an age X25519 public key: {exc}") from exc


@dataclass(frozen=True, slots=True)
class CmsRecipient:
    """A recipient agency's X.509 certificate (PEM) with an RSA key, for CMS enveloped data."""

    certificate_pem: bytes

    def __post_init__(self) -> None:
        certificate = _parse_certificate(self.certificate_pem)
        if not isinstance(certificate.public_key(), rsa.RSAPublicKey):
            raise RecipientInvalidError("a CMS recipient certificate must carry an RSA key")

    def certificate(self) -> x509.Certificate:
        """Return the parsed certificate."""
        return _parse_certificate(self.certificate_pem)


Recipient = AgeRecipient | CmsRecipient


@dataclass(frozen=True, slots=True)
class AgeIdentity:
    """A recipient agency's age X25519 secret key (`AGE-SECRET-KEY-1...`), kept out of repr."""

    secret_key: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class CmsIdentity:
    """A recipient agency's RSA private key and the certificate packages are encrypted to."""

    private_key: rsa.RSAPrivateKey = field(repr=False)
    certificate: x509.Certificate


Identity = AgeIdentity | CmsIdentity


def create_age_identity(path: Path) -> AgeRecipient:
    """Generate an age identity, write it to `path` (mode 0600) and return its public recipient."""
    identity = pyrage.x25519.Identity.generate()
    public = str(identity.to_public())
    _write_secret(path, f"# public key: {public}\n{identity}\n".encode("ascii"))
    return AgeRecipient(public)


def load_age_identity(path: Path) -> AgeIdentity:
    """Read the age identity file written by `create_age_identity` (or by age-keygen)."""
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise IdentityUnreadableError(f"cannot read age identity {path}: {exc}") from exc
    keys = [line.strip() for line in lines if line.strip().startswith("AGE-SECRET-KEY-")]
    if len(keys) != 1:
        raise IdentityUnreadableError(f"{path} must hold exactly one AGE-SECRET-KEY line")
    try:
        pyrage.x25519.Identity.from_str(keys[0])
    except pyrage.IdentityError as exc:
        raise IdentityUnreadableError(f"{path} holds a malformed age secret key") from exc
    return AgeIdentity(keys[0])


def create_cms_certificate(directory: Path, common_name: str) -> tuple[Path, Path]:
    """Write a new RSA key (mode 0600) and a self-signed certificate for it; return both paths."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=CMS_KEY_BITS)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=CMS_CERTIFICATE_DAYS))
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    stem = _file_stem(common_name)
    key_path = directory / f"{stem}.key.pem"
    cert_path = directory / f"{stem}.cert.pem"
    _write_secret(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def load_cms_recipient(cert_path: Path) -> CmsRecipient:
    """Read a recipient agency's certificate (PEM) for encrypting packages to it."""
    try:
        return CmsRecipient(cert_path.read_bytes())
    except OSError as exc:
        raise RecipientInvalidError(f"cannot read certificate {cert_path}: {exc}") from exc


def load_cms_identity(key_path: Path, cert_path: Path) -> CmsIdentity:
    """Read the RSA private key and certificate a recipient agency decrypts packages with."""
    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        pem = cert_path.read_bytes()
    except (OSError, ValueError, TypeError) as exc:
        raise IdentityUnreadableError(f"cannot read CMS identity {key_path}: {exc}") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise IdentityUnreadableError(f"{key_path} is not an RSA private key")
    return CmsIdentity(private_key=key, certificate=_parse_certificate(pem))


def _parse_certificate(pem: bytes) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(pem)
    except ValueError as exc:
        raise RecipientInvalidError(f"not an X.509 certificate in PEM form: {exc}") from exc


def _write_secret(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created 0600 from the first byte, so the secret is never readable by others even briefly.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    path.chmod(0o600)


def _file_stem(common_name: str) -> str:
    stem = "".join(char if char.isalnum() else "-" for char in common_name.lower()).strip("-")
    return stem or "recipient"
