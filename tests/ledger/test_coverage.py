"""Coverage: an entry counts only under a signed checkpoint with a quorum of witnesses."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from portcullis.ledger.errors import EntryNotCheckpointed, IndexOutOfRange
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.tables import ledger_cosignatures

from .conftest import Filler, WitnessFactory, sample_entry


def test_nothing_is_covered_before_a_checkpoint(ledger: Ledger, fill: Filler) -> None:
    fill(3)
    assert not ledger.is_covered(0, 0)
    with pytest.raises(EntryNotCheckpointed):
        ledger.receipt(0)


@pytest.mark.parametrize(
    ("quorum", "covered"),
    [
        pytest.param(0, True, id="no-quorum"),
        pytest.param(2, True, id="quorum-met"),
        pytest.param(3, False, id="quorum-missed"),
    ],
)
def test_quorum_decides_coverage(
    ledger: Ledger, fill: Filler, make_witness: WitnessFactory, quorum: int, covered: bool
) -> None:
    fill(4)
    ledger.request_cosignatures([make_witness("tigta"), make_witness("jct")])
    assert ledger.is_covered(3, quorum) is covered
    assert not ledger.is_covered(4, 0)


def test_entries_after_the_checkpoint_wait(
    ledger: Ledger, fill: Filler, make_witness: WitnessFactory
) -> None:
    witnesses = [make_witness("tigta")]
    fill(2)
    ledger.request_cosignatures(witnesses)
    fill(2, "late")
    assert ledger.is_covered(1, 1)
    assert not ledger.is_covered(2, 1)
    ledger.checkpoint()
    assert not ledger.is_covered(2, 1)  # signed, but not yet cosigned
    ledger.request_cosignatures(witnesses)
    assert ledger.is_covered(2, 1)


def test_a_corrupted_stored_cosignature_does_not_count(
    ledger: Ledger, fill: Filler, make_witness: WitnessFactory
) -> None:
    fill(2)
    ledger.request_cosignatures([make_witness("tigta")])
    with ledger.engine.begin() as conn:
        line = conn.execute(ledger_cosignatures.select()).one().line
        forged = line[:-6] + ("AAAAA" if line[-6:-1] != "AAAAA" else "BBBBB") + "\n"
        conn.execute(update(ledger_cosignatures).values(line=forged))
    assert not ledger.is_covered(0, 1)


def test_cover_signs_and_gathers_only_when_needed(
    ledger: Ledger, fill: Filler, make_witness: WitnessFactory
) -> None:
    witnesses = [make_witness("tigta"), make_witness("jct")]
    fill(3)
    assert ledger.cover(2, 2, witnesses)
    signed = ledger.latest_checkpoint()
    assert ledger.cover(1, 2, witnesses)
    assert ledger.latest_checkpoint() == signed  # already covered: nothing new signed
    assert not ledger.cover(2, 3, witnesses)  # a quorum nobody can meet waits, fail closed
    with pytest.raises(IndexOutOfRange):
        ledger.cover(3, 0, witnesses)


def test_covering_size_is_the_largest_checkpoint_with_quorum(
    ledger: Ledger, fill: Filler, make_witness: WitnessFactory
) -> None:
    tigta = make_witness("tigta")
    fill(3)
    ledger.checkpoint()
    ledger.request_cosignatures([tigta])
    fill(2, prefix="later")
    ledger.checkpoint()  # signed by the log, not yet cosigned
    assert ledger.covering_size(1) == 3
    assert ledger.covering_size(0) == 5
    assert ledger.covering_size(2) is None


def test_batch_receipts_verify_like_single_ones(
    ledger: Ledger, fill: Filler, make_witness: WitnessFactory
) -> None:
    from portcullis.ledger import verify_receipt

    tigta = make_witness("tigta")
    indexes = fill(6)
    ledger.checkpoint()
    ledger.request_cosignatures([tigta])
    receipts = ledger.receipts_at(indexes, 6)
    for index in indexes:
        verify_receipt(
            receipts[index].to_json(),
            sample_entry(f"d{index}"),
            ledger.public_key,
            {"tigta": tigta.public_key},
            1,
        )
    with pytest.raises(IndexOutOfRange):
        ledger.receipts_at([6], 6)
