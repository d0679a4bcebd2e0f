"""Tamper tests: any edit, deletion, reordering or insertion in the database is found and named."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Connection, delete, select, update

from portcullis.ledger import verify as verify_module
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.tables import (
    ledger_checkpoints,
    ledger_entries,
    ledger_head,
    ledger_nodes,
    node_key,
)

from .conftest import Filler, sample_entry

SIZE = 12


@pytest.fixture
def sealed(ledger: Ledger, fill: Filler) -> Ledger:
    """A ledger of 12 entries with checkpoints at sizes 5 and 12."""
    fill(5)
    ledger.checkpoint()
    fill(SIZE - 5, "e")
    ledger.checkpoint()
    return ledger


def _body(conn: Connection, index: int) -> bytes:
    return bytes(
        conn.execute(
            select(ledger_entries.c.body).where(ledger_entries.c.idx == index)
        ).scalar_one()
    )


def _edit(conn: Connection) -> None:
    conn.execute(
        update(ledger_entries)
        .where(ledger_entries.c.idx == 7)
        .values(body=b'{"outcome":"disclosed"}')
    )


def _delete(conn: Connection) -> None:
    conn.execute(delete(ledger_entries).where(ledger_entries.c.idx == 7))


def _delete_last(conn: Connection) -> None:
    conn.execute(delete(ledger_entries).where(ledger_entries.c.idx == SIZE - 1))


def _reorder(conn: Connection) -> None:
    three, eight = _body(conn, 3), _body(conn, 8)
    conn.execute(update(ledger_entries).where(ledger_entries.c.idx == 3).values(body=eight))
    conn.execute(update(ledger_entries).where(ledger_entries.c.idx == 8).values(body=three))


def _insert_middle(conn: Connection) -> None:
    # Renumber through a far offset so the primary key never collides midway.
    conn.execute(
        update(ledger_entries)
        .where(ledger_entries.c.idx >= 4)
        .values(idx=ledger_entries.c.idx + 1000)
    )
    conn.execute(
        update(ledger_entries)
        .where(ledger_entries.c.idx >= 1000)
        .values(idx=ledger_entries.c.idx - 999)
    )
    _add(conn, 4)


def _insert_end(conn: Connection) -> None:
    _add(conn, SIZE)


def _add(conn: Connection, index: int) -> None:
    conn.execute(
        ledger_entries.insert().values(
            idx=index,
            decision_key="forged",
            body=b'{"outcome":"disclosed"}',
            recorded_at=conn.execute(select(ledger_entries.c.recorded_at).limit(1)).scalar_one(),
        )
    )


def _interior(conn: Connection) -> None:
    conn.execute(
        update(ledger_nodes).where(ledger_nodes.c.node == node_key(2, 1)).values(hash=bytes(32))
    )


@pytest.mark.parametrize(
    ("tamper", "index", "words"),
    [
        pytest.param(_edit, 7, "leaf hash", id="edit"),
        pytest.param(_delete, 7, "missing", id="delete"),
        pytest.param(_delete_last, SIZE - 1, "missing", id="delete-last"),
        pytest.param(_reorder, 3, "leaf hash", id="reorder"),
        pytest.param(_insert_middle, 4, "leaf hash", id="insert-middle"),
        pytest.param(_insert_end, SIZE, "outside", id="insert-end"),
        pytest.param(_interior, 4, "subtree", id="interior-node"),
    ],
)
def test_tampering_is_named(
    sealed: Ledger, tamper: Callable[[Connection], None], index: int, words: str
) -> None:
    with sealed.engine.begin() as conn:
        tamper(conn)
    report = sealed.verify()
    assert not report.ok
    assert report.first_bad_index == index
    assert words in (report.problem or "")
    assert f"entry {index}" in report.describe()


def test_a_consistent_rewrite_is_caught_by_the_signed_roots(sealed: Ledger) -> None:
    # The forger rewrites history through the library itself, so every stored hash agrees.
    with sealed.engine.begin() as conn:
        conn.execute(delete(ledger_entries))
        conn.execute(delete(ledger_nodes))
        conn.execute(update(ledger_head).values(size=0))
    history = [(f"d{i}", sample_entry(f"d{i}")) for i in range(5)]
    history += [(f"e{i}", sample_entry("forged" if i == 3 else f"e{i}")) for i in range(SIZE - 5)]
    sealed.append_many(history)
    report = sealed.verify()
    assert not report.ok
    assert report.first_bad_index == 5
    assert "signed at size 12" in (report.problem or "")


def test_an_edited_checkpoint_is_refused(sealed: Ledger) -> None:
    with sealed.engine.begin() as conn:
        note = conn.execute(
            select(ledger_checkpoints.c.note).where(ledger_checkpoints.c.size == 5)
        ).scalar_one()
        conn.execute(
            update(ledger_checkpoints)
            .where(ledger_checkpoints.c.size == 5)
            .values(note=note.replace("\n5\n", "\n4\n"))
        )
    report = sealed.verify()
    assert not report.ok and "size 5" in (report.problem or "")


def test_a_healthy_ledger_verifies_across_pages(
    sealed: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verify_module, "_PAGE", 4)
    report = sealed.verify()
    assert report.ok, report.describe()
    assert (report.entries, report.checkpoints, report.checkpoint_size) == (SIZE, 2, SIZE)


def test_an_empty_ledger_verifies(ledger: Ledger) -> None:
    assert ledger.verify().ok
