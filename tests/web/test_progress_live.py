"""In Debian's chromium: a running request's progress moves on its page without a reload."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from portcullis.gateway import Gateway
from portcullis.store.tables import decisions, items
from tests.test_processing import submit
from tests.web.conftest import write_held_batch

pytestmark = pytest.mark.browser


def decide(gateway: Gateway, request_id: str, count: int) -> None:
    """Record `count` more of the request's items as decided, as the running road would."""
    with gateway.engine.begin() as con:
        open_items = con.execute(
            sa.select(items.c.id)
            .outerjoin(decisions, decisions.c.item_pk == items.c.id)
            .where(items.c.request_id == request_id, decisions.c.item_pk.is_(None))
            .order_by(items.c.row)
            .limit(count)
        ).scalars()
        con.execute(
            decisions.insert(),
            [
                {
                    "item_pk": pk,
                    "outcome": "no_match",
                    "reason_codes": "",
                    "decided_at": dt.datetime.now(dt.UTC),
                    "decided_by": "portcullis (automatic)",
                }
                for pk in open_items
            ],
        )


def test_the_request_page_follows_a_running_batch_without_reloading(
    open_as: Callable[[str | None, str], Page], browser_site: Gateway, tmp_path: Path
) -> None:
    request_id = submit(browser_site, write_held_batch(tmp_path / "running.csv", good=20))
    page = open_as("omar.operator", f"/ui/requests/{request_id}")
    decided = page.locator('#progress [data-figure="decided"]')
    expect(decided).to_have_text("0")
    page.evaluate("() => { window.stillTheSamePage = true; }")
    decide(browser_site, request_id, 6)
    expect(decided).to_have_text("6")
    expect(page.locator('#progress [data-figure="rate"]')).to_contain_text("items a second")
    decide(browser_site, request_id, 5)
    expect(decided).to_have_text("11")
    expect(page.locator("#progress progress")).to_have_attribute("value", "11")
    assert page.evaluate("() => window.stillTheSamePage") is True
