"""The oversight dashboard: the year's figures and charts, program status and recalls."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable

import sqlalchemy as sa

from portcullis.accounting import accounting_rows
from portcullis.gateway import Gateway
from portcullis.programs import suspend_program
from portcullis.reports.annual import annual_report
from portcullis.review import review_queue, settle_review
from portcullis.store.tables import decisions, releases
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
        "items-per-month",
        "releases-per-month",
    ]
    weekly = signed_in("omar.operator").get("/ui/dashboard?period=week").text
    assert 'aria-labelledby="items-per-week-title items-per-week-desc"' in weekly
    assert re.search(r'<td class="nowrap">\d{4}-W\d{2}</td>', weekly)


def test_the_totals_are_the_annual_reports_and_the_databases(
    site: Gateway, signed_in: SignedIn
) -> None:
    html = signed_in("avery.auditor").get("/ui/dashboard").text
    year = int(re.search(r"Oversight, (\d{4})", html)[1])  # type: ignore[index]
    total = annual_report(accounting_rows(site.engine), year).total
    assert {
        name: figure(html, name)
        for name in ("requests", "items", "releases", "refusals", "pending_review")
    } == {
        "requests": total.requests,
        "items": total.items,
        "releases": total.releases,
        "refusals": total.refusals,
        "pending_review": total.pending_review,
    }
    assert figure(html, "taxpayers_affected") == total.taxpayers_affected
    with site.engine.connect() as con:
        waiting = con.execute(
            sa.select(sa.func.count()).where(decisions.c.outcome == "pending_review")
        ).scalar_one()
    assert figure(html, "backlog") == waiting
    assert figure(html, "ledger_size") == site.ledger.size()


def test_each_table_downloads_as_csv(signed_in: SignedIn) -> None:
    client = signed_in("avery.auditor")
    html = client.get("/ui/dashboard").text
    response = client.get("/ui/dashboard/periods.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == [
        "month", "requesting_agency", "program_id", "items",
        "disclosed", "refused", "no_match", "ambiguous", "pending_review",
    ]  # fmt: skip
    assert rows[-1][:4] == ["all", "All", "All", str(figure(html, "items"))]
    reasons = client.get("/ui/dashboard/reasons.csv").text
    assert "address_placeholder" in reasons
    assert client.get("/ui/dashboard/secrets.csv").status_code == 404
    assert signed_in("rita.reviewer").get("/ui/dashboard/periods.csv").status_code == 403


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
    assert '<table id="recalls-per-period">' in html
    assert "address was incomplete" in html
    with gateway.engine.connect() as con:
        assert con.execute(sa.select(sa.func.count()).select_from(releases)).scalar_one() == 1


def test_a_settlement_after_the_dashboard_was_read_shows_at_once(
    gateway: Gateway, held_request: str, client_for: Callable[[Gateway], TestClient]
) -> None:
    create_accounts(gateway, "avery.auditor")
    client = client_for(gateway)
    sign_in(client, "avery.auditor")
    before = client.get("/ui/dashboard").text
    item = review_queue(gateway)[0]
    settle_review(gateway, item.item_pk, reviewer="rita.reviewer", approve=False, reason="thin")
    after = client.get("/ui/dashboard").text
    assert figure(after, "refusals") == figure(before, "refusals") + 1
    assert figure(after, "pending_review") == figure(before, "pending_review") - 1
    assert figure(after, "backlog") == figure(before, "backlog") - 1
