"""Tests for encrypting to a recipient and decrypting with its identity, age and CMS."""

from __future__ import annotations

from pathlib import Path

import pytest

from portcullis.release.encryption import (
    AGE_MAGIC,
    DecryptionFailedError,
    decrypt_with,
    encrypt_for,
)
from portcullis.release.recipients import (
    AgeIdentity,
    AgeRecipient,
    CmsIdentity,
    CmsRecipient,
    create_age_identity,
    load_age_identity,
)

PLAINTEXT = b'{"disclosed":{"zip":"62701"}}\x00\xff'


def test_age_round_trip(age_pair: tuple[AgeRecipient, AgeIdentity]) -> None:
    recipient, identity = age_pair
    sealed = encrypt_for(recipient, PLAINTEXT)
    assert sealed.startswith(AGE_MAGIC)
    assert PLAINTEXT not in sealed
    assert decrypt_with(identity, sealed) == PLAINTEXT


def test_cms_round_trip(cms_pair: tuple[CmsRecipient, CmsIdentity]) -> None:
    recipient, identity = cms_pair
    sealed = encrypt_for(recipient, PLAINTEXT)
    assert sealed[:1] == b"\x30"  # a DER SEQUENCE: the CMS ContentInfo
    assert PLAINTEXT not in sealed
    assert decrypt_with(identity, sealed) == PLAINTEXT


def test_age_package_does_not_open_with_another_identity(
    age_pair: tuple[AgeRecipient, AgeIdentity], tmp_path: Path
) -> None:
    create_age_identity(tmp_path / "other.agekey")
    sealed = encrypt_for(age_pair[0], PLAINTEXT)
    with pytest.raises(DecryptionFailedError):
        decrypt_with(load_age_identity(tmp_path / "other.agekey"), sealed)


def test_cms_package_does_not_open_with_another_identity(
    cms_pair: tuple[CmsRecipient, CmsIdentity],
    other_cms_pair: tuple[CmsRecipient, CmsIdentity],
) -> None:
    sealed = encrypt_for(cms_pair[0], PLAINTEXT)
    with pytest.raises(DecryptionFailedError):
        decrypt_with(other_cms_pair[1], sealed)


@pytest.mark.parametrize(
    "sealed",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"not a package", id="garbage"),
        pytest.param(AGE_MAGIC + b"-> X25519 truncated", id="truncated-age"),
    ],
)
def test_damaged_bytes_fail_with_a_named_error(
    sealed: bytes,
    age_pair: tuple[AgeRecipient, AgeIdentity],
    cms_pair: tuple[CmsRecipient, CmsIdentity],
) -> None:
    with pytest.raises(DecryptionFailedError):
        decrypt_with(age_pair[1], sealed)
    with pytest.raises(DecryptionFailedError):
        decrypt_with(cms_pair[1], sealed)
