"""Tests for recipient keys: age identities and CMS certificates on disk."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from portcullis.release.recipients import (
    AgeRecipient,
    CmsIdentity,
    CmsRecipient,
    IdentityUnreadableError,
    RecipientInvalidError,
    create_age_identity,
    load_age_identity,
    load_cms_identity,
)


def test_age_identity_file_is_private_and_loads(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "agency.agekey"
    recipient = create_age_identity(path)
    assert recipient.public_key.startswith("age1")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_age_identity(path).secret_key.startswith("AGE-SECRET-KEY-1")


def test_age_secret_stays_out_of_repr(tmp_path: Path) -> None:
    create_age_identity(tmp_path / "a.agekey")
    identity = load_age_identity(tmp_path / "a.agekey")
    assert identity.secret_key not in repr(identity)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("AGE-SECRET-KEY-1NOTAKEY\n", id="malformed"),
        pytest.param("# only a comment\n", id="comment-only"),
    ],
)
def test_bad_age_identity_files_are_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.agekey"
    path.write_text(text)
    with pytest.raises(IdentityUnreadableError):
        load_age_identity(path)


def test_missing_age_identity_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IdentityUnreadableError):
        load_age_identity(tmp_path / "absent.agekey")


def test_bad_age_recipient_is_refused() -> None:
    with pytest.raises(RecipientInvalidError):
        AgeRecipient("age1notakey")


def test_cms_key_is_private_and_certificate_names_the_agency(
    cms_pair: tuple[CmsRecipient, CmsIdentity], keys_dir: Path
) -> None:
    recipient, identity = cms_pair
    key_path = keys_dir / "partner-agency.key.pem"
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert "Partner Agency" in recipient.certificate().subject.rfc4514_string()
    assert identity.certificate == recipient.certificate()


def test_cms_recipient_needs_a_certificate() -> None:
    with pytest.raises(RecipientInvalidError):
        CmsRecipient(b"-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n")


def test_cms_identity_needs_an_rsa_key(tmp_path: Path, keys_dir: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    key_path = tmp_path / "ec.key.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(IdentityUnreadableError, match="RSA"):
        load_cms_identity(key_path, keys_dir / "partner-agency.cert.pem")
