"""Signing checkpoints: only over a tree that provably extends the last signed one."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update

from portcullis.ledger.errors import CheckpointInconsistent
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.tables import ledger_checkpoints, ledger_entries, ledger_head, ledger_nodes

from .conftest import Filler, sample_entry


def _signed(ledger: Ledger) -> int:
    with ledger.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(ledger_checkpoints)).scalar_one())


def test_a_rewritten_history_is_never_signed(ledger: Ledger, fill: Filler) -> None:
    fill(5)
    ledger.checkpoint()
    with ledger.engine.begin() as conn:
        conn.execute(delete(ledger_entries))
        conn.execute(delete(ledger_nodes))
        conn.execute(update(ledger_head).values(size=0))
    ledger.append_many([(f"other{i}", sample_entry(f"other{i}")) for i in range(8)])
    with pytest.raises(CheckpointInconsistent, match="does not extend"):
        ledger.checkpoint()
    assert _signed(ledger) == 1


def test_a_shrunken_ledger_is_never_signed(ledger: Ledger, fill: Filler) -> None:
    fill(5)
    ledger.checkpoint()
    with ledger.engine.begin() as conn:
        conn.execute(update(ledger_head).values(size=3))
    with pytest.raises(CheckpointInconsistent, match="signed at 5"):
        ledger.checkpoint()
    assert _signed(ledger) == 1


def test_each_growth_gets_one_checkpoint(ledger: Ledger, fill: Filler) -> None:
    ledger.checkpoint()
    for round_number in range(3):
        fill(2, f"r{round_number}-")
        assert ledger.checkpoint().size == 2 * (round_number + 1)
        ledger.checkpoint()
    assert _signed(ledger) == 4
