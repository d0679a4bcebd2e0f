"""Receipt and disposal confirmations, and the disposals that are overdue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from portcullis.aftercare.overdue import (
    OVERDUE_COLUMNS,
    RETENTION_PASSED,
    overdue_disposals,
    write_overdue_csv,
)
from portcullis.aftercare.retention import (
    ConfirmationInvalid,
    ReleaseNotFound,
    confirm_disposal,
    confirm_receipt,
)
from portcullis.gateway import Gateway
from portcullis.store.tables import items, releases


def release_times(gateway: Gateway, request_id: str, row: int) -> dict[str, dt.datetime | None]:
    query = (
        sa.select(releases)
        .join(items, items.c.id == releases.c.item_pk)
        .where(items.c.request_id == request_id, items.c.row == row)
    )
    with gateway.engine.connect() as con:
        found = con.execute(query).one()._mapping
    return {name: found[name] for name in ("released_at", "retention_until", "disposed_at")}


def test_a_receipt_is_recorded_once(gateway: Gateway, released: str) -> None:
    at = dt.datetime.now(dt.UTC)
    first = confirm_receipt(gateway, released, 1, confirmed_by="ICE-HSI-00001", at=at)
    entry = gateway.ledger.entry(first.ledger_index)
    assert entry["kind"] == "receipt_confirmed" and entry["confirmed_by"] == "ICE-HSI-00001"
    size = gateway.ledger.size()
    later = at + dt.timedelta(hours=1)
    again = confirm_receipt(gateway, released, 1, confirmed_by="someone else", at=later)
    assert again == first
    assert gateway.ledger.size() == size


def test_overdue_after_retention_until_disposal_is_confirmed(
    gateway: Gateway, released: str, tmp_path: Path
) -> None:
    retention = release_times(gateway, released, 1)["retention_until"]
    assert retention is not None
    last_day = retention.date()
    assert overdue_disposals(gateway, last_day) == []
    late = overdue_disposals(gateway, last_day + dt.timedelta(days=10))
    assert [(r.row, r.why, r.due, r.days_overdue) for r in late] == [
        (row, RETENTION_PASSED, last_day, 10) for row in (1, 2, 3)
    ]
    out = tmp_path / "overdue.csv"
    assert write_overdue_csv(late, out) == 3
    assert out.read_text().splitlines()[0] == ",".join(OVERDUE_COLUMNS)
    disposed = confirm_disposal(gateway, released, 2, confirmed_by="ICE-HSI-00001")
    assert gateway.ledger.entry(disposed.ledger_index)["kind"] == "disposal_confirmed"
    assert release_times(gateway, released, 2)["disposed_at"] is not None
    still = overdue_disposals(gateway, last_day + dt.timedelta(days=10))
    assert [r.row for r in still] == [1, 3]


def test_a_confirmation_that_cannot_be_true_is_refused(gateway: Gateway, released: str) -> None:
    now = dt.datetime.now(dt.UTC)
    size = gateway.ledger.size()
    with pytest.raises(ReleaseNotFound):
        confirm_disposal(gateway, released, 9, confirmed_by="ICE-HSI-00001", at=now)
    with pytest.raises(ConfirmationInvalid, match="name"):
        confirm_disposal(gateway, released, 1, confirmed_by=" ", at=now)
    with pytest.raises(ConfirmationInvalid, match="released after"):
        before = now - dt.timedelta(days=2)
        confirm_disposal(gateway, released, 1, confirmed_by="ICE-HSI-00001", at=before)
    assert gateway.ledger.size() == size
