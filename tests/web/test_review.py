"""The review queue page: the backlog as a list, one item's evidence, decisions through the road."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from portcullis.gateway import Gateway
from portcullis.review import review_queue
from portcullis.review_claims import claim_item
from portcullis.store.tables import decisions, releases
from portcullis.web import queue_view
from tests.web.conftest import TestClient, csrf_of, hold_batch, sign_in, write_held_batch

SignedIn = Callable[[str], TestClient]


def waiting_in_database(gateway: Gateway) -> int:
    query = sa.select(sa.func.count()).where(decisions.c.outcome == "pending_review")
    with gateway.engine.connect() as con:
        return int(con.execute(query).scalar_one())


def figure(html: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}">([^<]+)<', html)
    assert found is not None, name
    return found.group(1)


def test_the_page_lists_every_held_item_and_shows_one_items_evidence(
    site: Gateway, signed_in: SignedIn
) -> None:
    html = signed_in("rita.reviewer").get("/ui/review").text
    assert figure(html, "waiting") == str(waiting_in_database(site)) == "5"
    assert html.count("<tr data-item=") == 5
    assert html.count('<article class="held"') == 1
    assert "María Guadalupe García López" in html
    assert '<span class="level agree">exact</span>' in html
    assert "77 Oak Rd, San Antonio, TX 78209 (2024); 400 Pine Ave, Apt 3" in html
    assert "No other taxpayer came close." in html
    assert "batch_held_for_review" in html
    assert "the oldest has waited" in html


def test_the_page_shows_only_the_last_four_digits_of_a_tin(signed_in: SignedIn) -> None:
    html = signed_in("rita.reviewer").get("/ui/review").text
    assert "•••-••-4444" in html
    assert "222334444" not in html


def test_a_filter_narrows_the_list_and_keeps_the_whole_count_in_view(
    site: Gateway, signed_in: SignedIn
) -> None:
    client = signed_in("rita.reviewer")
    html = client.get("/ui/review", params={"search": "I-3"}).text
    assert figure(html, "waiting") == "1"
    assert figure(html, "waiting-all") == "5"
    assert html.count("<tr data-item=") == 1
    nothing = client.get("/ui/review", params={"reason_code": "address_placeholder"}).text
    assert figure(nothing, "waiting") == "0"
    assert "No item is waiting for review that matches the filter." in nothing


def test_a_score_that_is_not_a_number_is_named_and_not_applied(signed_in: SignedIn) -> None:
    response = signed_in("rita.reviewer").get("/ui/review", params={"score_min": "high"})
    assert response.status_code == 422
    assert "score min must be a number, not &#39;high&#39;" in response.text
    assert figure(response.text, "waiting") == "5"


def test_approval_discloses_through_the_road_and_opens_the_next_item(
    gateway: Gateway, fresh_client: TestClient
) -> None:
    sign_in(fresh_client, "rita.reviewer")
    page = fresh_client.get("/ui/review")
    first, second = (held.item_pk for held in review_queue(gateway)[:2])
    assert f'data-item="{first}"' in page.text.split('<article class="held"')[1][:80]
    size = gateway.ledger.size()
    response = fresh_client.post(
        f"/ui/review/{first}",
        data={"csrf": csrf_of(page.text), "decision": "approve", "reason": "DOB and name agree"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/ui/review?item={second}&settled=disclosed&settled_item={first}"
    )
    with gateway.engine.connect() as con:
        row = con.execute(sa.select(decisions).where(decisions.c.item_pk == first)).one()
        released = con.execute(sa.select(sa.func.count()).select_from(releases)).scalar_one()
    assert (row.outcome, row.decided_by) == ("disclosed", "rita.reviewer")
    assert row.approval == "rita.reviewer (review: DOB and name agree)"
    assert released == 1
    assert gateway.ledger.size() == size + 1
    after = fresh_client.get(response.headers["location"]).text
    held = review_queue(gateway)[0]
    assert f"Item I-1 of request {held.request_id} is now disclosed" in after
    assert figure(after, "waiting") == "4"
    assert after.count("<tr data-item=") == 4


def test_a_decision_returns_to_the_same_filter_and_order(
    gateway: Gateway, fresh_client: TestClient
) -> None:
    sign_in(fresh_client, "rita.reviewer")
    view = {"search": "I", "sort": "newest"}
    page = fresh_client.get("/ui/review", params=view)
    newest = review_queue(gateway)[-1].item_pk
    form = {"csrf": csrf_of(page.text), "decision": "refuse", "reason": "weak", **view}
    response = fresh_client.post(f"/ui/review/{newest}", data=form)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/ui/review?search=I&sort=newest&item=")


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


def test_an_item_another_reviewer_holds_is_shown_but_cannot_be_settled(
    gateway: Gateway, fresh_client: TestClient
) -> None:
    item = review_queue(gateway)[0].item_pk
    claim_item(gateway.engine, item, "sam.reviewer")
    sign_in(fresh_client, "rita.reviewer")
    default = fresh_client.get("/ui/review").text
    assert f'<article class="held" id="evidence" aria-labelledby="held-{item}"' not in default
    assert "held by sam.reviewer" in default
    opened = fresh_client.get("/ui/review", params={"item": item}).text
    assert f"item {item} is claimed by sam.reviewer until" in opened
    assert f'action="/ui/review/{item}"' not in opened
    form = {"csrf": csrf_of(opened), "decision": "approve", "reason": "mine now"}
    response = fresh_client.post(f"/ui/review/{item}", data=form)
    assert response.status_code == 409
    assert "claimed by sam.reviewer" in response.text
    assert len(review_queue(gateway)) == 5


def test_a_second_page_holds_the_rest_of_a_long_queue(
    gateway: Gateway, fresh_client: TestClient, tmp_path: Path
) -> None:
    hold_batch(gateway, write_held_batch(tmp_path / "more.csv", series="2027"))
    sign_in(fresh_client, "rita.reviewer")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(queue_view, "PAGE_SIZE", 4)
        first = fresh_client.get("/ui/review").text
        last = fresh_client.get("/ui/review", params={"page": "3"}).text
    assert figure(first, "waiting") == str(waiting_in_database(gateway)) == "10"
    assert first.count("<tr data-item=") == 4
    assert "Page 1 of 3" in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert last.count("<tr data-item=") == 2
    assert "Page 3 of 3" in last and 'rel="prev"' in last and 'rel="next"' not in last


def test_an_auditor_cannot_post_a_decision(gateway: Gateway, fresh_client: TestClient) -> None:
    sign_in(fresh_client, "avery.auditor")
    csrf = csrf_of(fresh_client.get("/ui/requests").text)
    item = review_queue(gateway)[0]
    form = {"csrf": csrf, "decision": "approve", "reason": "I would like to"}
    assert fresh_client.post(f"/ui/review/{item.item_pk}", data=form).status_code == 403
    assert len(review_queue(gateway)) == 5
