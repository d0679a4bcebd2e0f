"""Claims on held items: one reviewer at a time, enforced when the item is settled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from portcullis.gateway import Gateway
from portcullis.review import ReviewNotPossible, review_queue, settle_review
from portcullis.review_claims import CLAIM_TTL, ItemClaimedByAnother, ItemNotHeld, claim_item
from portcullis.store.tables import decisions, review_claims
from tests.test_review import held_request

WriteRequest = Callable[..., Path]
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def claims(gateway: Gateway) -> list[tuple[int, str]]:
    with gateway.engine.connect() as con:
        query = sa.select(review_claims.c.item_pk, review_claims.c.reviewer)
        return [(row.item_pk, row.reviewer) for row in con.execute(query.order_by("item_pk"))]


def test_a_live_claim_keeps_another_reviewer_off_until_it_expires(
    gateway: Gateway, request_file: WriteRequest
) -> None:
    held_request(gateway, request_file)
    item = review_queue(gateway)[0].item_pk
    claim = claim_item(gateway.engine, item, "rita", now=NOW)
    assert claim.expires_at == NOW + CLAIM_TTL
    with pytest.raises(ItemClaimedByAnother, match=f"item {item} is claimed by rita"):
        claim_item(gateway.engine, item, "sam", now=NOW + CLAIM_TTL - dt.timedelta(seconds=1))
    claim_item(gateway.engine, item, "rita", now=NOW + dt.timedelta(minutes=5))
    assert claims(gateway) == [(item, "rita")]
    taken = claim_item(gateway.engine, item, "sam", now=NOW + dt.timedelta(minutes=5) + CLAIM_TTL)
    assert taken.reviewer == "sam"
    assert claims(gateway) == [(item, "sam")]


def test_a_reviewer_holds_one_item_at_a_time(gateway: Gateway, request_file: WriteRequest) -> None:
    held_request(gateway, request_file)
    first, second, _ = (held.item_pk for held in review_queue(gateway))
    claim_item(gateway.engine, first, "rita", now=NOW)
    claim_item(gateway.engine, second, "rita", now=NOW)
    assert claims(gateway) == [(second, "rita")]


def test_settling_an_item_another_reviewer_holds_is_refused(
    gateway: Gateway, request_file: WriteRequest
) -> None:
    held_request(gateway, request_file)
    item = review_queue(gateway)[0].item_pk
    claim_item(gateway.engine, item, "rita")
    size = gateway.ledger.size()
    with pytest.raises(ReviewNotPossible, match="claimed by rita"):
        settle_review(gateway, item, reviewer="sam", approve=True, reason="agree")
    assert gateway.ledger.size() == size
    assert settle_review(gateway, item, reviewer="rita", approve=False, reason="weak DOB") == (
        "refused"
    )
    with gateway.engine.connect() as con:
        decided_by = con.execute(
            sa.select(decisions.c.decided_by).where(decisions.c.item_pk == item)
        ).scalar_one()
    assert decided_by == "rita"
    assert claims(gateway) == []


def test_an_expired_claim_does_not_stop_a_settlement(
    gateway: Gateway, request_file: WriteRequest
) -> None:
    held_request(gateway, request_file)
    item = review_queue(gateway)[0].item_pk
    claim_item(gateway.engine, item, "rita", now=dt.datetime.now(dt.UTC) - CLAIM_TTL * 2)
    assert settle_review(gateway, item, reviewer="sam", approve=True, reason="agree") == (
        "disclosed"
    )


def test_an_item_not_waiting_for_review_cannot_be_claimed(
    gateway: Gateway, request_file: WriteRequest
) -> None:
    held_request(gateway, request_file)
    item = review_queue(gateway)[0].item_pk
    settle_review(gateway, item, reviewer="rita", approve=False, reason="weak DOB")
    with pytest.raises(ItemNotHeld, match="not waiting for review"):
        claim_item(gateway.engine, item, "rita")
    assert claims(gateway) == []
