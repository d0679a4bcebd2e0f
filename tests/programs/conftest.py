"""Fixtures for programs: the default program with fresh keys, and an empty state database."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine

from portcullis.keys import public_key_b64
from portcullis.programs import Program, default_program
from portcullis.store.database import create_schema, open_engine


@pytest.fixture(scope="session")
def key_b64() -> str:
    return public_key_b64(Ed25519PrivateKey.generate().public_key())


@pytest.fixture(scope="session")
def program(key_b64: str) -> Program:
    return default_program(key_b64, [("oversight", key_b64)])


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = open_engine(f"sqlite:///{tmp_path / 'state.sqlite'}")
    create_schema(engine)
    return engine
