"""Gathering cosignatures: failures and silence withhold a cosignature, never block or corrupt."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import delete, update

from portcullis.ledger.checkpoint import sign_checkpoint
from portcullis.ledger.coverage import Coverage
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.tables import ledger_cosignatures, ledger_witnesses
from portcullis.ledger.witness import Witness

from .conftest import Filler, WitnessFactory


class Unreachable(Witness):
    """A witness whose network is down."""

    def latest_size(self, origin: str) -> int:
        raise ConnectionError("no route to witness")


class Hanging(Witness):
    """A witness that does not answer until released, and then gives up."""

    release: threading.Event

    def add_checkpoint(self, old_size: int, proof: Sequence[bytes], checkpoint_note: str) -> str:
        self.release.wait()
        raise ConnectionError("connection dropped")


def test_all_reachable_witnesses_cosign(
    ledger: Ledger, fill: Filler, make_witness: WitnessFactory
) -> None:
    witnesses = [make_witness("tigta"), make_witness("jct")]
    fill(4)
    signed = ledger.request_cosignatures(witnesses)
    assert ledger.cosigners(signed) == {"tigta", "jct"}
    assert ledger.latest_checkpoint() == signed


def test_witnesses_advance_with_consistency_proofs(
    ledger: Ledger, fill: Filler, make_witness: WitnessFactory
) -> None:
    witnesses = [make_witness("tigta"), make_witness("jct")]
    for round_number in range(3):
        fill(3 + round_number, f"r{round_number}-")
        ledger.checkpoint()
        signed = ledger.request_cosignatures(witnesses)
        assert ledger.cosigners(signed) == {"tigta", "jct"}
    assert all(w.latest_size(ledger.origin) == 12 for w in witnesses)


def test_an_unreachable_witness_adds_nothing(
    ledger: Ledger, fill: Filler, make_witness: WitnessFactory
) -> None:
    good = make_witness("tigta")
    down = make_witness("jct")
    down.__class__ = Unreachable
    fill(2)
    signed = ledger.request_cosignatures([good, down])
    assert ledger.cosigners(signed) == {"tigta"}
    assert ledger.is_covered(1, 1) and not ledger.is_covered(1, 2)


def test_a_silent_witness_is_abandoned_after_the_bound(
    ledger: Ledger, fill: Filler, make_witness: WitnessFactory
) -> None:
    slow = make_witness("jct")
    slow.__class__ = Hanging
    slow.release = threading.Event()  # type: ignore[attr-defined]
    fill(2)
    try:
        signed = ledger.request_cosignatures([slow], timeout=0.05)
        assert ledger.cosigners(signed) == set()
        assert not ledger.is_covered(0, 1)
    finally:
        slow.release.set()  # type: ignore[attr-defined]


def test_an_unregistered_witness_is_not_stored(
    ledger: Ledger, fill: Filler, make_witness: WitnessFactory
) -> None:
    stranger = make_witness("tigta")
    fill(1)
    with ledger.engine.begin() as conn:
        conn.execute(delete(ledger_witnesses))
    signed = ledger.request_cosignatures([stranger])
    assert signed.note.count("\u2014 ") == 1


class Counting(Witness):
    """A witness that counts the checkpoints it is asked to cosign."""

    asked: int

    def add_checkpoint(self, old_size: int, proof: Sequence[bytes], checkpoint_note: str) -> str:
        self.asked += 1
        return super().add_checkpoint(old_size, proof, checkpoint_note)


def test_cosign_gathers_on_the_checkpoint_held_and_says_what_it_covers(
    ledger: Ledger, fill: Filler, make_witness: WitnessFactory
) -> None:
    witnesses = [make_witness("tigta"), make_witness("jct")]
    fill(3)
    signed = ledger.latest_signed() or ledger.checkpoint()
    assert ledger.cosign(signed, witnesses) == Coverage(size=3, cosigners=2)
    assert ledger.covering_size(2) == 3
    assert ledger.cosigners(ledger.latest_checkpoint() or signed) == {"tigta", "jct"}


def test_cosign_asks_only_missing_witnesses_and_counts_only_stored_lines_that_verify(
    ledger: Ledger, fill: Filler, make_witness: WitnessFactory
) -> None:
    tigta, jct = make_witness("tigta"), make_witness("jct")
    tigta.__class__ = jct.__class__ = Counting
    tigta.asked = jct.asked = 0  # type: ignore[attr-defined]
    fill(2)
    ledger.checkpoint()
    signed = ledger.latest_signed()
    assert signed is not None
    assert ledger.cosign(signed, [tigta]) == Coverage(size=2, cosigners=1)
    with ledger.engine.begin() as conn:
        conn.execute(
            update(ledger_cosignatures)
            .where(ledger_cosignatures.c.witness == "tigta")
            .values(line="\u2014 tigta AAAA\n")
        )
    # tigta's damaged line counts no more, and tigta is not asked again over it.
    assert ledger.cosign(signed, [tigta, jct]) == Coverage(size=2, cosigners=1)
    assert (tigta.asked, jct.asked) == (1, 1)  # type: ignore[attr-defined]
    assert ledger.covering_size(2) is None


def test_a_checkpoint_the_ledger_did_not_sign_covers_nothing(
    ledger: Ledger, fill: Filler, make_witness: WitnessFactory
) -> None:
    tigta = make_witness("tigta")
    fill(1)
    signed = ledger.checkpoint()
    forged = sign_checkpoint(signed.origin, signed.size, signed.root, Ed25519PrivateKey.generate())
    assert ledger.cosign(forged, [tigta]) is None
    assert ledger.covering_size(1) is None
