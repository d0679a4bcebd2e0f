"""The Ledger facade: idempotent appends, checkpoints, and proofs that match signed roots."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, func, select

from portcullis.ledger.checkpoint import open_checkpoint
from portcullis.ledger.errors import EntryNotAnObject, IndexOutOfRange
from portcullis.ledger.hashing import canonical_entry, leaf_hash
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.proofs import verify_consistency, verify_inclusion
from portcullis.ledger.tables import ledger_entries
from portcullis.ledger.writer import LedgerIdentityMismatch

from .conftest import ORIGIN, Filler


def _rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(ledger_entries)).scalar_one())


def test_append_returns_consecutive_indexes(ledger: Ledger) -> None:
    assert [ledger.append({"n": i}, decision_key=f"k{i}") for i in range(3)] == [0, 1, 2]
    assert ledger.size() == 3
    assert ledger.entry(1) == {"n": 1}


def test_appending_a_known_decision_key_writes_nothing(ledger: Ledger) -> None:
    first = ledger.append({"outcome": "disclosed"}, decision_key="req-1/item-7")
    again = ledger.append({"outcome": "disclosed", "retry": True}, decision_key="req-1/item-7")
    assert again == first == 0
    assert _rows(ledger.engine) == 1
    assert ledger.entry(0) == {"outcome": "disclosed"}


def test_append_many_mixes_new_and_known_keys(ledger: Ledger) -> None:
    ledger.append({"a": 1}, decision_key="a")
    indexes = ledger.append_many(
        [("b", {"b": 1}), ("a", {"a": 2}), ("c", {"c": 1}), ("b", {"b": 9})]
    )
    assert indexes == [1, 0, 2, 1]
    assert ledger.size() == 3


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param(["not", "an", "object"], id="list"),
        pytest.param({"x": float("nan")}, id="nan"),
        pytest.param({"x": object()}, id="not-json"),
    ],
)
def test_entries_must_be_canonical_json_objects(ledger: Ledger, entry: object) -> None:
    with pytest.raises(EntryNotAnObject):
        ledger.append(entry, decision_key="bad")  # type: ignore[arg-type]
    assert ledger.size() == 0


def test_checkpoint_signs_the_current_root(ledger: Ledger, fill: Filler) -> None:
    fill(5)
    checkpoint = ledger.checkpoint()
    opened = open_checkpoint(checkpoint.note, ORIGIN, ledger.public_key)
    assert (opened.size, opened.root) == (5, ledger.root(5))
    assert ledger.checkpoint().note == checkpoint.note  # nothing new: the same checkpoint
    assert ledger.latest_checkpoint() == checkpoint


def test_proofs_verify_against_signed_checkpoints(ledger: Ledger, fill: Filler) -> None:
    fill(11)
    first = ledger.checkpoint()
    fill(6, "e")
    second = ledger.checkpoint()
    verify_consistency(11, 17, first.root, second.root, ledger.consistency_proof(11, 17))
    for index in (0, 10, 16):
        leaf = leaf_hash(canonical_entry(ledger.entry(index)))
        verify_inclusion(index, 17, leaf, ledger.inclusion_proof(index, 17), second.root)


@pytest.mark.parametrize(
    ("index", "size"),
    [pytest.param(0, 4, id="size-beyond-ledger"), pytest.param(3, 3, id="index-at-size")],
)
def test_proofs_outside_the_ledger_are_refused(
    ledger: Ledger, fill: Filler, index: int, size: int
) -> None:
    fill(3)
    with pytest.raises(IndexOutOfRange):
        ledger.inclusion_proof(index, size)


def test_checkpoint_if_due_counts_entries(ledger: Ledger, fill: Filler) -> None:
    assert ledger.checkpoint_if_due(every_entries=3, every_seconds=3600) is not None  # first one
    fill(2)
    assert ledger.checkpoint_if_due(every_entries=3, every_seconds=3600) is None
    fill(1, "x")
    due = ledger.checkpoint_if_due(every_entries=3, every_seconds=3600)
    assert due is not None and due.size == 3


def test_checkpoint_if_due_counts_time(ledger: Ledger, fill: Filler) -> None:
    ledger.checkpoint()
    fill(1)
    due = ledger.checkpoint_if_due(every_entries=1000, every_seconds=0)
    assert due is not None and due.size == 1


def test_a_second_ledger_identity_on_one_database_is_refused(
    ledger: Ledger, signer: Ed25519PrivateKey
) -> None:
    with pytest.raises(LedgerIdentityMismatch):
        Ledger(ledger.engine, Ed25519PrivateKey.generate(), ORIGIN)
    with pytest.raises(LedgerIdentityMismatch):
        Ledger(ledger.engine, signer, "another.test/ledger")
    assert Ledger(ledger.engine, signer, ORIGIN).size() == 0
