"""Ledger test fixtures: a state database (SQLite, or PostgreSQL if configured), keys, witnesses."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, text

from portcullis.keys import public_key_b64
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.tables import create_ledger_tables
from portcullis.ledger.witness import Witness
from portcullis.store.database import open_engine

POSTGRES_ENV = "PORTCULLIS_TEST_POSTGRES_URL"
ORIGIN = "portcullis.test/ledger"

_BACKENDS = [pytest.param("sqlite", id="sqlite")]
if os.environ.get(POSTGRES_ENV):
    _BACKENDS.append(pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres))


@pytest.fixture(params=_BACKENDS)
def state_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty state database: a temp SQLite file, or a throwaway PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'state.sqlite'}"
        return
    base = os.environ[POSTGRES_ENV]
    schema = f"ledger_test_{uuid.uuid4().hex[:12]}"
    admin = open_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def engine(state_url: str) -> Iterator[Engine]:
    """An engine on the state database with the ledger's tables created."""
    created = open_engine(state_url)
    create_ledger_tables(created)
    yield created
    created.dispose()


@pytest.fixture
def signer() -> Ed25519PrivateKey:
    """The ledger's signing key."""
    return Ed25519PrivateKey.generate()


@pytest.fixture
def ledger(engine: Engine, signer: Ed25519PrivateKey) -> Ledger:
    """An empty ledger."""
    return Ledger(engine, signer, ORIGIN)


WitnessFactory = Callable[[str], Witness]


@pytest.fixture
def make_witness(ledger: Ledger, signer: Ed25519PrivateKey, tmp_path: Path) -> WitnessFactory:
    """Create a witness of `ledger`, registered with it, keeping its state in its own home."""

    def make(name: str) -> Witness:
        home = tmp_path / "witnesses" / name
        witness = Witness(name, Ed25519PrivateKey.generate(), home, signer.public_key())
        ledger.register_witness(name, public_key_b64(witness.public_key))
        return witness

    return make


def sample_entry(key: str) -> dict[str, object]:
    """A small decision entry, as the decision step would record it."""
    return {"decision": key, "outcome": "refused", "reasons": ["no_statute"]}


Filler = Callable[..., list[int]]


@pytest.fixture
def fill(ledger: Ledger) -> Filler:
    """Append `count` sample entries keyed prefix0, prefix1, ... and return their indexes."""

    def append(count: int, prefix: str = "d") -> list[int]:
        return ledger.append_many(
            [(f"{prefix}{i}", sample_entry(f"{prefix}{i}")) for i in range(count)]
        )

    return append
