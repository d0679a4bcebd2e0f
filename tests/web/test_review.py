"""The review queue page: the evidence shown, and decisions recorded through settle_review."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from portcullis.gateway import Gateway
from portcullis.review import review_queue
from portcullis.store.tables import decisions, releases
from tests.web.conftest import TestClient, csrf_of, sign_in

SignedIn = Callable[[str], TestClient]


def test_each_held_item_shows_its_evidence_side_by_side(signed_in: SignedIn) -> None:
    html = signed_in("rita.reviewer").get("/ui/review").text
    assert html.count('<article class="held"') == 5
    assert "María Guadalupe García López" in html
    assert '<span class="level agree">exact</span>' in html
    assert "77 Oak Rd, San Antonio, TX 78209 (2024); 400 Pine Ave, Apt 3" in html
    assert "No other taxpayer came close." in html
    assert "batch_held_for_review" in html


def test_the_page_shows_only_the_last_four_digits_of_a_tin(signed_in: SignedIn) -> None:
    html = signed_in("rita.reviewer").get("/ui/review").text
    assert "•••-••-4444" in html
    assert "222334444" not in html


def test_approval_discloses_through_the_road_under_the_reviewers_name(
    gateway: Gateway, fresh_client: TestClient
) -> None:
    sign_in(fresh_client, "rita.reviewer")
    page = fresh_client.get("/ui/review")
    item = review_queue(gateway)[0]
    size = gateway.ledger.size()
    response = fresh_client.post(
        f"/ui/review/{item.item_pk}",
        data={"csrf": csrf_of(page.text), "decision": "approve", "reason": "DOB and name agree"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/ui/review?settled=disclosed&item={item.item_pk}"
    with gateway.engine.connect() as con:
        row = con.execute(sa.select(decisions).where(decisions.c.item_pk == item.item_pk)).one()
        released = con.execute(sa.select(sa.func.count()).select_from(releases)).scalar_one()
    assert (row.outcome, row.decided_by) == ("disclosed", "rita.reviewer")
    assert row.approval == "rita.reviewer (review: DOB and name agree)"
    assert released == 1
    assert gateway.ledger.size() == size + 1
    after = fresh_client.get(response.headers["location"]).text
    assert f"Item {item.item_id} of request {item.request_id} is now disclosed" in after
    assert after.count('<article class="held"') == 4


@pytest.mark.parametrize(
    ("form", "status"),
    [
        pytest.param({"decision": "approve", "reason": "  "}, 422, id="blank-reason"),
        pytest.param({"decision": "maybe", "reason": "unsure"}, 422, id="unknown-decision"),
        pytest.param({"reason": "no choice made"}, 422, id="no-decision"),
        pytest.param({"decision": "approve", "reason": "ok", "csrf": "guess"}, 403, id="bad-csrf"),
    ],
)
def test_an_incomplete_decision_records_nothing(
    site: Gateway, signed_in: SignedIn, form: dict[str, str], status: int
) -> None:
    client = signed_in("rita.reviewer")
    csrf = csrf_of(client.get("/ui/review").text)
    item = review_queue(site)[0]
    size = site.ledger.size()
    response = client.post(f"/ui/review/{item.item_pk}", data={"csrf": csrf, **form})
    assert response.status_code == status
    assert 'role="alert"' in response.text
    assert site.ledger.size() == size
    assert len(review_queue(site)) == 5


def test_a_refusal_records_the_reason_and_a_second_decision_is_refused(
    gateway: Gateway, fresh_client: TestClient
) -> None:
    sign_in(fresh_client, "rita.reviewer")
    csrf = csrf_of(fresh_client.get("/ui/review").text)
    item = review_queue(gateway)[0]
    form = {"csrf": csrf, "decision": "refuse", "reason": "DOB unverifiable"}
    assert fresh_client.post(f"/ui/review/{item.item_pk}", data=form).status_code == 303
    again = fresh_client.post(f"/ui/review/{item.item_pk}", data=form)
    assert again.status_code == 409
    assert "not waiting for review" in again.text
    with gateway.engine.connect() as con:
        outcome = con.execute(
            sa.select(decisions.c.outcome).where(decisions.c.item_pk == item.item_pk)
        ).scalar_one()
    assert outcome == "refused"


def test_an_auditor_cannot_post_a_decision(gateway: Gateway, fresh_client: TestClient) -> None:
    sign_in(fresh_client, "avery.auditor")
    csrf = csrf_of(fresh_client.get("/ui/requests").text)
    item = review_queue(gateway)[0]
    form = {"csrf": csrf, "decision": "approve", "reason": "I would like to"}
    assert fresh_client.post(f"/ui/review/{item.item_pk}", data=form).status_code == 403
    assert len(review_queue(gateway)) == 5
