"""The oversight dashboard: the year's figures and charts, program status and recalls."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import sqlalchemy as sa

from portcullis.gateway import Gateway
from portcullis.programs import suspend_program
from portcullis.review import review_queue, settle_review
from portcullis.store.tables import releases
from tests.web.conftest import TestClient, create_accounts, sign_in

SignedIn = Callable[[str], TestClient]
PROGRAM = "ice-address-verification"


def figure(html: str, name: str) -> int:
    found = re.search(rf'data-figure="{name}">(\d+)<', html)
    assert found is not None, name
    return int(found[1])


def test_the_totals_count_the_years_accounting(signed_in: SignedIn) -> None:
    html = signed_in("avery.auditor").get("/ui/dashboard").text
    totals = {name: figure(html, name) for name in ("requests", "items", "refusals", "releases")}
    assert totals == {"requests": 1, "items": 7, "refusals": 2, "releases": 0}
    assert figure(html, "pending_review") == 5


def test_every_chart_has_a_title_and_a_description(signed_in: SignedIn) -> None:
    html = signed_in("omar.operator").get("/ui/dashboard").text
    charts = re.findall(r'<svg [^>]*aria-labelledby="([a-z-]+)-title \1-desc"', html)
    assert charts == [
        "items-by-outcome",
        "refusals-by-reason",
        "releases-by-agency",
        "taxpayers-by-agency",
        "items-per-day",
        "releases-per-day",
    ]


def test_a_year_without_decisions_shows_zeroes(signed_in: SignedIn) -> None:
    html = signed_in("avery.auditor").get("/ui/dashboard?year=1999").text
    assert "Oversight, 1999" in html
    assert figure(html, "items") == 0


def test_suspension_approval_and_recall_show_on_the_dashboard(
    gateway: Gateway, held_request: str, client_for: Callable[[Gateway], TestClient]
) -> None:
    item = review_queue(gateway)[0]
    settle_review(gateway, item.item_pk, reviewer="rita.reviewer", approve=True, reason="agree")
    with gateway.engine.begin() as con:
        con.execute(
            releases.update().values(
                recalled_at=dt.datetime.now(dt.UTC), recall_reason="address was incomplete"
            )
        )
    suspend_program(
        gateway.engine, PROGRAM, order_reference="D. Mass. 26-cv-1", actor="counsel", why="order"
    )
    create_accounts(gateway, "avery.auditor")
    client = client_for(gateway)
    sign_in(client, "avery.auditor")
    html = client.get("/ui/dashboard").text
    assert (figure(html, "releases"), figure(html, "taxpayers_affected")) == (1, 1)
    assert '<span class="badge suspended">suspended</span>' in html
    assert "D. Mass. 26-cv-1 since" in html
    assert "1 of 1 released package recalled." in html
    assert "address was incomplete" in html
    with gateway.engine.connect() as con:
        assert con.execute(sa.select(sa.func.count()).select_from(releases)).scalar_one() == 1
