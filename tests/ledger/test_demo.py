"""Demo witnesses for an embedded workspace, and the witness registry behind them."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine

from portcullis.keys import KeyUnreadable, create_private_key, load_private_key, public_key_b64
from portcullis.ledger.demo import create_demo_witnesses, load_witnesses, witness_home
from portcullis.ledger.errors import LedgerError
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.registry import WitnessKeyConflict, register_witness, registered_witnesses
from portcullis.workspace import Workspace

from .conftest import ORIGIN


@pytest.fixture
def workspace(tmp_path: Path, state_url: str) -> Workspace:
    """A workspace folder holding the ledger's signing key."""
    found = Workspace(home=tmp_path / "ws", state_url=state_url, ledger_origin=ORIGIN)
    create_private_key(found.keys_dir / "ledger-signer.key")
    return found


def test_demo_witnesses_are_created_registered_and_loaded(
    engine: Engine, workspace: Workspace
) -> None:
    created = create_demo_witnesses(engine, workspace)
    assert [name for name, _ in created] == ["tigta", "jct"]
    assert (witness_home(workspace, "tigta") / "witness.key").exists()
    assert not list(workspace.keys_dir.glob("witness-*"))  # no witness key among the operator's
    assert {n: public_key_b64(k) for n, k in registered_witnesses(engine).items()} == dict(created)
    assert create_demo_witnesses(engine, workspace) == created  # a second run reuses the keys
    assert sorted(w.name for w in load_witnesses(engine, workspace)) == ["jct", "tigta"]


def test_an_earlier_workspace_key_moves_into_the_witness_home(
    engine: Engine, workspace: Workspace
) -> None:
    earlier = workspace.keys_dir / "witness-jct.key"
    key = create_private_key(earlier)
    created = dict(create_demo_witnesses(engine, workspace))
    assert created["jct"] == public_key_b64(key.public_key())
    assert not earlier.exists()
    assert (witness_home(workspace, "jct") / "witness.key").exists()


def test_loaded_witnesses_cosign_and_remember_in_their_homes(
    engine: Engine, workspace: Workspace
) -> None:
    ledger = Ledger(engine, load_private_key(workspace.keys_dir / "ledger-signer.key"), ORIGIN)
    create_demo_witnesses(engine, workspace)
    ledger.append({"n": 1}, decision_key="one")
    signed = ledger.request_cosignatures(load_witnesses(engine, workspace))
    assert ledger.cosigners(signed) == {"tigta", "jct"}
    assert ledger.is_covered(0, 2)
    for witness in load_witnesses(engine, workspace):
        assert witness.latest(ORIGIN) == (1, signed.root)
        assert (witness.home / "state.json").is_file()


def test_a_swapped_witness_key_file_is_refused(engine: Engine, workspace: Workspace) -> None:
    create_demo_witnesses(engine, workspace)
    (witness_home(workspace, "jct") / "witness.key").unlink()
    create_private_key(witness_home(workspace, "jct") / "witness.key")
    with pytest.raises(KeyUnreadable):
        load_witnesses(engine, workspace)


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
