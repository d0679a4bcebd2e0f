"""Recalls end to end: marked, recorded in the ledger once, notified to the agency, resumable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from portcullis.aftercare import recall as recall_module
from portcullis.aftercare.notices import open_recall_notice
from portcullis.aftercare.overdue import RECALLED, overdue_disposals
from portcullis.aftercare.recall import RecallUnexplained, recall_releases
from portcullis.aftercare.selectors import (
    ZIP_ONLY_ADDRESS,
    all_of,
    by_program,
    named_rule,
    one_release,
    released_between,
    whole_request,
)
from portcullis.gateway import Gateway
from portcullis.ledger import verify_receipt
from portcullis.release.recipients import load_age_identity
from portcullis.store.tables import items, releases
from tests.aftercare.conftest import PROGRAM

REASON = "The request set forth a ZIP code, not the taxpayer's address."


def recalled_rows(gateway: Gateway) -> dict[int, str | None]:
    query = (
        sa.select(items.c.row, releases.c.recall_reason)
        .join(items, items.c.id == releases.c.item_pk)
        .where(releases.c.recalled_at.is_not(None))
    )
    with gateway.engine.connect() as con:
        return {row.row: row.recall_reason for row in con.execute(query)}


def test_recalling_a_whole_request_marks_records_and_notifies(
    gateway: Gateway, released: str
) -> None:
    size = gateway.ledger.size()
    report = recall_releases(gateway, whole_request(released), reason=REASON, recalled_by="ops-1")
    assert [(r.request_id, r.row) for r in report.recalled] == [(released, n) for n in (1, 2, 3)]
    assert recalled_rows(gateway) == {1: REASON, 2: REASON, 3: REASON}
    assert gateway.ledger.size() == size + 3
    entries = [gateway.ledger.entry(r.ledger_index) for r in report.recalled]
    assert {(e["kind"], e["reason"], e["recalled_by"]) for e in entries} == {
        ("recall", REASON, "ops-1")
    }
    [path] = report.notices
    assert path.parent == gateway.workspace.packages_dir / released
    assert path.name.startswith("recall-") and path.suffix == ".age"
    notice = open_recall_notice(
        path.read_bytes(),
        identity=load_age_identity(gateway.workspace.recipient_identity_path),
        release_public_key=gateway.release_key.public_key(),
    )
    assert notice["request_id"] == released and notice["reason"] == REASON
    listed: list[dict[str, Any]] = notice["items"]  # type: ignore[assignment]
    assert [item["package"] for item in listed] == [
        "row-0000001.age",
        "row-0000002.age",
        "row-0000003.age",
    ]
    for item, entry in zip(listed, entries, strict=True):
        verify_receipt(item["recall_receipt"], entry, gateway.ledger.public_key, {}, 0)
    assert gateway.ledger.verify().ok
    today = dt.datetime.now(dt.UTC).date()
    assert [late.why for late in overdue_disposals(gateway, today)] == [RECALLED] * 3
    # Recalling again writes nothing, and the first reason stands.
    size = gateway.ledger.size()
    again = recall_releases(gateway, whole_request(released), reason="again", recalled_by="ops-2")
    assert again.recalled == () and again.notices == () and again.already_recalled == 3
    assert gateway.ledger.size() == size
    assert set(recalled_rows(gateway).values()) == {REASON}


def test_an_interrupted_recall_is_finished_by_the_next(
    gateway: Gateway, released: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_: Any, **__: Any) -> Path:
        raise RuntimeError("power cut")

    monkeypatch.setattr(recall_module, "_send_notice", crash)
    with pytest.raises(RuntimeError):
        recall_releases(gateway, whole_request(released), reason=REASON, recalled_by="ops-1")
    monkeypatch.undo()
    size = gateway.ledger.size()
    finished = recall_releases(
        gateway, whole_request(released), reason="retry", recalled_by="ops-2"
    )
    assert len(finished.recalled) == 3 and len(finished.notices) == 1
    assert gateway.ledger.size() == size  # the recall entries were already written
    assert set(recalled_rows(gateway).values()) == {REASON}  # the first recall's reason stands


def test_narrow_selectors_reach_only_their_releases(gateway: Gateway, released: str) -> None:
    by_row = recall_releases(gateway, one_release(released, row=2), reason="r2", recalled_by="o")
    assert [r.row for r in by_row.recalled] == [2]
    by_id = one_release(released, item_id="I-3")
    by_id_report = recall_releases(gateway, by_id, reason="r3", recalled_by="o")
    assert [r.row for r in by_id_report.recalled] == [3]
    long_ago = released_between(dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    nothing = recall_releases(gateway, long_ago, reason="old", recalled_by="o")
    assert nothing.recalled == () and nothing.already_recalled == 0
    today = dt.datetime.now(dt.UTC).date()
    recent = all_of(by_program(PROGRAM), released_between(today - dt.timedelta(days=1), today))
    rest = recall_releases(gateway, recent, reason="r1", recalled_by="o")
    assert [r.row for r in rest.recalled] == [1] and rest.already_recalled == 2
    assert recalled_rows(gateway) == {1: "r1", 2: "r2", 3: "r3"}


def test_the_zip_only_rule_recalls_releases_made_on_a_zip_code(
    gateway: Gateway, released: str
) -> None:
    # A release made before the address check existed: the request gave only a ZIP code.
    with gateway.engine.begin() as con:
        item = con.execute(
            sa.select(items.c.id, items.c.record).where(
                items.c.request_id == released, items.c.row == 3
            )
        ).one()
        record = {**item.record, "street": "", "city": ""}
        con.execute(items.update().where(items.c.id == item.id).values(record=record))
    report = recall_releases(
        gateway, named_rule(ZIP_ONLY_ADDRESS), reason=REASON, recalled_by="ops-1"
    )
    assert [r.row for r in report.recalled] == [3]
    assert recalled_rows(gateway) == {3: REASON}


def test_a_recall_must_say_why_and_who(gateway: Gateway, released: str) -> None:
    for reason, operator in ((" ", "ops-1"), (REASON, "")):
        with pytest.raises(RecallUnexplained):
            recall_releases(gateway, whole_request(released), reason=reason, recalled_by=operator)
    assert recalled_rows(gateway) == {}
