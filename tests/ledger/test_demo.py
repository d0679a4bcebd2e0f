"""Demo witnesses for an embedded workspace, and the witness registry behind them."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine

from portcullis.keys import KeyUnreadable, create_private_key, load_private_key, public_key_b64
from portcullis.ledger.demo import create_demo_witnesses, load_witnesses
from portcullis.ledger.errors import LedgerError
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.registry import WitnessKeyConflict, register_witness, registered_witnesses

from .conftest import ORIGIN


@pytest.fixture
def keys_dir(tmp_path: Path) -> Path:
    """A workspace keys folder holding the ledger's signing key."""
    folder = tmp_path / "keys"
    create_private_key(folder / "ledger-signer.key")
    return folder


def test_demo_witnesses_are_created_registered_and_loaded(engine: Engine, keys_dir: Path) -> None:
    created = create_demo_witnesses(engine, keys_dir)
    assert [name for name, _ in created] == ["tigta", "jct"]
    assert (keys_dir / "witness-tigta.key").exists()
    assert {n: public_key_b64(k) for n, k in registered_witnesses(engine).items()} == dict(created)
    assert create_demo_witnesses(engine, keys_dir) == created  # a second run reuses the keys
    assert sorted(w.name for w in load_witnesses(engine, keys_dir)) == ["jct", "tigta"]


def test_loaded_witnesses_cosign_the_workspace_ledger(engine: Engine, keys_dir: Path) -> None:
    ledger = Ledger(engine, load_private_key(keys_dir / "ledger-signer.key"), ORIGIN)
    create_demo_witnesses(engine, keys_dir)
    ledger.append({"n": 1}, decision_key="one")
    signed = ledger.request_cosignatures(load_witnesses(engine, keys_dir))
    assert ledger.cosigners(signed) == {"tigta", "jct"}
    assert ledger.is_covered(0, 2)


def test_a_swapped_witness_key_file_is_refused(engine: Engine, keys_dir: Path) -> None:
    create_demo_witnesses(engine, keys_dir)
    create_private_key(keys_dir / "witness-jct.key")
    with pytest.raises(KeyUnreadable):
        load_witnesses(engine, keys_dir)


def test_registering_another_key_under_a_name_is_refused(engine: Engine) -> None:
    first = public_key_b64(Ed25519PrivateKey.generate().public_key())
    register_witness(engine, "court", first)
    register_witness(engine, "court", first)
    with pytest.raises(WitnessKeyConflict):
        register_witness(engine, "court", public_key_b64(Ed25519PrivateKey.generate().public_key()))


@pytest.mark.parametrize(
    "name",
    [pytest.param("", id="empty"), pytest.param("a b", id="space"), pytest.param("a+b", id="plus")],
)
def test_witness_names_must_fit_a_signature_line(engine: Engine, name: str) -> None:
    with pytest.raises(LedgerError):
        register_witness(engine, name, public_key_b64(Ed25519PrivateKey.generate().public_key()))
