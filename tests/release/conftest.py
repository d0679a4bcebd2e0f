"""Keys and identities shared by the release tests, made once per session because RSA is slow."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portcullis.release.recipients import (
    AgeIdentity,
    AgeRecipient,
    CmsIdentity,
    CmsRecipient,
    create_age_identity,
    create_cms_certificate,
    load_age_identity,
    load_cms_identity,
    load_cms_recipient,
)


@pytest.fixture(scope="session")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys")


@pytest.fixture(scope="session")
def release_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="session")
def age_pair(keys_dir: Path) -> tuple[AgeRecipient, AgeIdentity]:
    recipient = create_age_identity(keys_dir / "agency.agekey")
    return recipient, load_age_identity(keys_dir / "agency.agekey")


@pytest.fixture(scope="session")
def cms_pair(keys_dir: Path) -> tuple[CmsRecipient, CmsIdentity]:
    key_path, cert_path = create_cms_certificate(keys_dir, "Partner Agency")
    return load_cms_recipient(cert_path), load_cms_identity(key_path, cert_path)


@pytest.fixture(scope="session")
def other_cms_pair(keys_dir: Path) -> tuple[CmsRecipient, CmsIdentity]:
    key_path, cert_path = create_cms_certificate(keys_dir / "other", "Other Agency")
    return load_cms_recipient(cert_path), load_cms_identity(key_path, cert_path)
