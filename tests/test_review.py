"""Settling held items: approval releases the candidate, refusal records the reviewer's reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from portcullis.gateway import Gateway
from portcullis.matching.decide import BETWEEN_LINES, given_only
from portcullis.processing import process_request
from portcullis.review import ReviewNotPossible, review_queue, settle_review
from portcullis.review_backlog import QueueFilter, queue_page
from portcullis.store.tables import decisions, releases
from tests.test_processing import submit
from tests.test_review_backlog import pending, set_reasons, set_scores

WriteRequest = Callable[..., Path]


def held_request(gateway: Gateway, request_file: WriteRequest) -> str:
    # Two refusals in five exceed the refusal-share bound: the good items are held for review.
    path = request_file({}, {}, {}, {"street": "UNKNOWN"}, {"zip": "00000", "street": ""})
    request_id = submit(gateway, path)
    report = process_request(gateway, request_id)
    assert report.batch_held
    return request_id


def test_held_items_carry_their_evidence(gateway: Gateway, request_file: WriteRequest) -> None:
    held_request(gateway, request_file)
    queue = review_queue(gateway)
    assert len(queue) == 3
    first = queue[0]
    assert first.reason_codes == ("batch_held_for_review",)
    assert first.candidate is not None and first.candidate["tin"] == "222334444"
    assert first.request_item["last_name"] == "García López"
    assert first.evidence


def test_approval_discloses_and_releases_once(gateway: Gateway, request_file: WriteRequest) -> None:
    held_request(gateway, request_file)
    item = review_queue(gateway)[0]
    size = gateway.ledger.size()
    outcome = settle_review(
        gateway, item.item_pk, reviewer="officer.lee", approve=True, reason="DOB and name agree"
    )
    assert outcome == "disclosed"
    assert gateway.ledger.size() == size + 1
    with gateway.engine.connect() as con:
        row = con.execute(sa.select(decisions).where(decisions.c.item_pk == item.item_pk)).one()
        released = con.execute(sa.select(sa.func.count()).select_from(releases)).scalar_one()
    assert (row.outcome, row.decided_by) == ("disclosed", "officer.lee")
    assert released == 1
    with pytest.raises(ReviewNotPossible):
        settle_review(gateway, item.item_pk, reviewer="officer.lee", approve=True, reason="again")


def test_refusal_needs_a_reason_and_releases_nothing(
    gateway: Gateway, request_file: WriteRequest
) -> None:
    held_request(gateway, request_file)
    item = review_queue(gateway)[0]
    with pytest.raises(ReviewNotPossible, match="reason"):
        settle_review(gateway, item.item_pk, reviewer="officer.lee", approve=False, reason=" ")
    settle_review(gateway, item.item_pk, reviewer="officer.lee", approve=False, reason="weak DOB")
    with gateway.engine.connect() as con:
        row = con.execute(sa.select(decisions).where(decisions.c.item_pk == item.item_pk)).one()
        released = con.execute(sa.select(sa.func.count()).select_from(releases)).scalar_one()
    assert (row.outcome, row.reason_codes) == ("refused", "reviewer_refused")
    assert released == 0
    assert len(review_queue(gateway)) == 2


def test_the_queue_follows_the_working_lists_priority_order(
    gateway: Gateway, request_file: WriteRequest
) -> None:
    held_request(gateway, request_file)
    held = pending(gateway)
    # The oldest needs a birth date nobody holds; the newest is the likeliest release a reviewer
    # settles from the screen, so it comes first, oldest first no longer.
    set_reasons(
        gateway, dict.fromkeys(held, "no agreeing date of birth or TIN to tell relatives apart")
    )
    set_reasons(gateway, {held[1]: given_only("fuzzy"), held[2]: BETWEEN_LINES})
    set_scores(gateway, {held[0]: 0.99, held[1]: 0.7, held[2]: 0.8})
    order = [item.item_pk for item in review_queue(gateway)]
    assert order == [held[2], held[1], held[0]]
    assert order == [line.item_pk for line in queue_page(gateway.engine, QueueFilter())]
