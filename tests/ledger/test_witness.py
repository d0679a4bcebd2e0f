"""Witnesses cosign only checkpoints extending what they cosigned before; split views fail."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portcullis.keys import public_key_b64
from portcullis.ledger.checkpoint import sign_checkpoint
from portcullis.ledger.cosignature import valid_cosigners
from portcullis.ledger.errors import SignatureInvalid, SplitViewRefused
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.tables import create_ledger_tables
from portcullis.store.database import open_engine

from .conftest import ORIGIN, Filler, WitnessFactory, sample_entry


@pytest.fixture
def fork(tmp_path: Path, signer: Ed25519PrivateKey) -> Iterator[Ledger]:
    """A second ledger with the same key and origin: a log showing someone a different view."""
    engine = open_engine(f"sqlite:///{tmp_path / 'fork.sqlite'}")
    create_ledger_tables(engine)
    yield Ledger(engine, signer, ORIGIN)
    engine.dispose()


def test_first_cosignature_needs_no_proof(
    ledger: Ledger, fill: Filler, make_witness: WitnessFactory
) -> None:
    fill(5)
    witness = make_witness("tigta")
    checkpoint = ledger.checkpoint()
    line = witness.cosign(checkpoint.note, [])
    assert valid_cosigners(checkpoint.note + line, {"tigta": witness.public_key}) == {"tigta"}
    assert witness.latest(ORIGIN) == (5, checkpoint.root)


def test_a_consistent_extension_is_cosigned(
    ledger: Ledger, fill: Filler, make_witness: WitnessFactory
) -> None:
    witness = make_witness("jct")
    fill(5)
    witness.cosign(ledger.checkpoint().note, [])
    fill(4, "more")
    grown = ledger.checkpoint()
    witness.cosign(grown.note, ledger.consistency_proof(5, 9))
    assert witness.latest_size(ORIGIN) == 9


def test_split_view_is_refused(
    ledger: Ledger, fork: Ledger, fill: Filler, make_witness: WitnessFactory
) -> None:
    witness = make_witness("tigta")
    fill(5)
    witness.cosign(ledger.checkpoint().note, [])
    # The fork shares four entries, then rewrites the fifth and adds a sixth.
    fork.append_many([(f"d{i}", sample_entry(f"d{i}")) for i in range(4)])
    fork.append_many(
        [("d4", {"decision": "d4", "outcome": "disclosed"}), ("d5", sample_entry("d5"))]
    )
    forked = fork.checkpoint()
    with pytest.raises(SplitViewRefused):
        witness.cosign(forked.note, fork.consistency_proof(5, 6))
    assert witness.latest_size(ORIGIN) == 5


def test_same_size_with_another_root_is_refused(
    ledger: Ledger, fork: Ledger, fill: Filler, make_witness: WitnessFactory
) -> None:
    witness = make_witness("tigta")
    fill(3)
    witness.cosign(ledger.checkpoint().note, [])
    fork.append_many([(f"x{i}", sample_entry(f"x{i}")) for i in range(3)])
    with pytest.raises(SplitViewRefused):
        witness.cosign(fork.checkpoint().note, [])


def test_a_rollback_is_refused(ledger: Ledger, fill: Filler, make_witness: WitnessFactory) -> None:
    witness = make_witness("tigta")
    fill(3)
    early = ledger.checkpoint()
    fill(3, "late")
    witness.cosign(ledger.checkpoint().note, [])
    with pytest.raises(SplitViewRefused):
        witness.cosign(early.note, [])


def test_a_checkpoint_not_signed_by_the_log_is_refused(
    ledger: Ledger, fill: Filler, make_witness: WitnessFactory
) -> None:
    witness = make_witness("tigta")
    fill(2)
    forged = sign_checkpoint(ORIGIN, 2, ledger.root(2), Ed25519PrivateKey.generate())
    with pytest.raises(SignatureInvalid):
        witness.cosign(forged.note, [])
    assert witness.latest(ORIGIN) is None


def test_request_cosignatures_skips_a_witness_that_refuses(
    ledger: Ledger, fork: Ledger, fill: Filler, make_witness: WitnessFactory
) -> None:
    tigta, jct = make_witness("tigta"), make_witness("jct")
    fill(5)
    tigta.cosign(ledger.checkpoint().note, [])
    fork.register_witness("tigta", public_key_b64(tigta.public_key))
    fork.register_witness("jct", public_key_b64(jct.public_key))
    fork.append_many([(f"z{i}", sample_entry(f"z{i}")) for i in range(6)])
    signed = fork.request_cosignatures([tigta, jct])
    assert fork.cosigners(signed) == {"jct"}
    assert not fork.is_covered(0, 2)
    assert fork.is_covered(0, 1)


def test_any_tree_extends_a_cosigned_empty_tree(
    ledger: Ledger, fill: Filler, make_witness: WitnessFactory
) -> None:
    witness = make_witness("tigta")
    signed = ledger.request_cosignatures([witness])
    assert signed.size == 0 and ledger.cosigners(signed) == {"tigta"}
    fill(3)
    ledger.checkpoint()
    assert ledger.cosigners(ledger.request_cosignatures([witness])) == {"tigta"}
