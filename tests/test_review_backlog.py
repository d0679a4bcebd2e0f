"""The backlog as a working list: counts, filters, search, order, pages and the next free item."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from portcullis.gateway import Gateway
from portcullis.matching.decide import BETWEEN_LINES, given_only
from portcullis.processing import process_request
from portcullis.review_backlog import QueueFilter, backlog, next_free_item, queue_page
from portcullis.review_claims import claim_item
from portcullis.store.tables import decisions, items
from tests.test_processing import submit

WriteRequest = Callable[..., Path]
BAD = ({"street": "UNKNOWN"}, {"zip": "00000", "street": ""})


def hold(gateway: Gateway, request_file: WriteRequest, *good: dict[str, str]) -> str:
    """Submit and process a request whose good items are held (its refusals exceed the bound)."""
    bad = BAD * max(1, len(good) // 3)
    request_id = submit(gateway, request_file(*good, *bad))
    assert process_request(gateway, request_id).batch_held
    return request_id


def pending(gateway: Gateway) -> list[int]:
    query = sa.select(decisions.c.item_pk).where(decisions.c.outcome == "pending_review")
    with gateway.engine.connect() as con:
        return sorted(int(pk) for pk in con.execute(query).scalars())


def set_scores(gateway: Gateway, scores: dict[int, float]) -> None:
    with gateway.engine.begin() as con:
        for item_pk, score in scores.items():
            con.execute(
                decisions.update().where(decisions.c.item_pk == item_pk).values(match_score=score)
            )


@pytest.fixture
def two_requests(gateway: Gateway, request_file: WriteRequest) -> tuple[str, str]:
    first = hold(gateway, request_file, {}, {}, {"recipient_officers": "ICE-HSI-00777"})
    second = hold(
        gateway,
        request_file,
        *({"case_number": f"ICE-ERO-2027-{n:06d}", "item_id": f"J-{n}"} for n in range(1, 4)),
    )
    return first, second


def test_the_backlog_counts_what_the_database_holds(
    gateway: Gateway, two_requests: tuple[str, str]
) -> None:
    found = backlog(gateway.engine)
    with gateway.engine.connect() as con:
        oldest = con.execute(
            sa.select(sa.func.min(decisions.c.decided_at)).where(
                decisions.c.outcome == "pending_review"
            )
        ).scalar_one()
    assert found.waiting == len(pending(gateway)) == 6
    assert found.oldest is not None
    assert found.oldest.replace(tzinfo=None) == oldest.replace(tzinfo=None)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param({}, 6, id="everything"),
        pytest.param({"request": "FIRST"}, 3, id="request"),
        pytest.param({"agency": "U.S. Immigration and Customs Enforcement"}, 6, id="agency"),
        pytest.param({"agency": "FBI"}, 0, id="other-agency"),
        pytest.param({"reason_code": "batch_held_for_review"}, 6, id="reason"),
        pytest.param({"reason_code": "batch_held"}, 0, id="part-of-a-reason"),
        pytest.param({"officer": "ICE-HSI-00777"}, 1, id="officer"),
        pytest.param({"officer": "ICE-HSI-0077"}, 0, id="part-of-an-officer"),
        pytest.param({"search": "j-2"}, 1, id="search-item-id"),
        pytest.param({"search": "garcia maria"}, 6, id="search-name-without-accents"),
        pytest.param({"search": "ice-ero-2027-000003"}, 1, id="search-case"),
        pytest.param({"search": "nobody"}, 0, id="search-nothing"),
    ],
)
def test_filters_and_search_narrow_the_backlog(
    gateway: Gateway, two_requests: tuple[str, str], fields: dict[str, str], expected: int
) -> None:
    if fields.get("request") == "FIRST":
        fields = {"request": two_requests[0]}
    chosen = QueueFilter.parse(fields)
    assert backlog(gateway.engine, chosen).waiting == expected
    assert len(queue_page(gateway.engine, chosen, size=50)) == expected


def test_score_range_and_order(gateway: Gateway, two_requests: tuple[str, str]) -> None:
    held = pending(gateway)
    set_scores(gateway, {pk: 0.5 + n / 10 for n, pk in enumerate(held)})
    chosen = QueueFilter.parse({"score_min": "0.7", "score_max": "0.9"})
    assert backlog(gateway.engine, chosen).waiting == 3
    high = queue_page(gateway.engine, QueueFilter(), sort="score_high")
    assert [line.item_pk for line in high] == held[::-1]
    low = queue_page(gateway.engine, QueueFilter(), sort="score_low")
    assert [line.item_pk for line in low] == held


def test_the_default_order_puts_the_likeliest_release_first_oldest_among_equals(
    gateway: Gateway, two_requests: tuple[str, str]
) -> None:
    held = pending(gateway)
    # The last item is the most certain; the first two tie, and the older of them comes first.
    scores = dict.fromkeys(held, 0.6)
    scores[held[-1]] = 0.99
    scores[held[0]] = scores[held[1]] = 0.9
    set_scores(gateway, scores)
    order = [line.item_pk for line in queue_page(gateway.engine, QueueFilter())]
    assert order[:3] == [held[-1], held[0], held[1]]
    assert next_free_item(gateway.engine, QueueFilter(), "rita") == held[-1]
    assert next_free_item(gateway.engine, QueueFilter(), "rita", after=held[-1]) == held[0]


def set_reasons(gateway: Gateway, reasons: dict[int, str]) -> None:
    with gateway.engine.begin() as con:
        for item_pk, reason in reasons.items():
            con.execute(
                decisions.update()
                .where(decisions.c.item_pk == item_pk)
                .values(match_evidence={"reason": reason})
            )


def test_the_default_order_puts_what_a_reviewer_can_settle_by_sight_first(
    gateway: Gateway, two_requests: tuple[str, str]
) -> None:
    held = pending(gateway)
    unsettled = "no agreeing date of birth or TIN to tell relatives apart"
    # The likeliest item needs a birth date nobody holds; two spellings of one name, or a score
    # short of the line with every field agreeing, a reviewer settles from the screen.
    set_reasons(gateway, dict.fromkeys(held, unsettled))
    set_reasons(gateway, {held[1]: given_only("fuzzy"), held[2]: BETWEEN_LINES})
    set_scores(gateway, {**dict.fromkeys(held, 0.5), held[0]: 0.99, held[1]: 0.7, held[2]: 0.8})
    order = [line.item_pk for line in queue_page(gateway.engine, QueueFilter())]
    assert order[:3] == [held[2], held[1], held[0]]
    assert order[3:] == held[3:]
    assert next_free_item(gateway.engine, QueueFilter(), "rita", after=held[1]) == held[0]
    # Other orders ignore why an item is held.
    high = queue_page(gateway.engine, QueueFilter(), sort="score_high")
    assert [line.item_pk for line in high][:3] == [held[0], held[2], held[1]]


def test_a_score_that_is_not_a_number_names_the_field() -> None:
    with pytest.raises(ValueError, match="score min must be a number, not 'high'"):
        QueueFilter.parse({"score_min": "high"})


def test_pages_split_the_backlog_without_overlap(
    gateway: Gateway, two_requests: tuple[str, str]
) -> None:
    pages = [queue_page(gateway.engine, QueueFilter(), page=n, size=4) for n in (1, 2, 3)]
    assert [len(page) for page in pages] == [4, 2, 0]
    seen = [line.item_pk for page in pages for line in page]
    assert sorted(seen) == pending(gateway)
    assert seen == [line.item_pk for line in queue_page(gateway.engine, QueueFilter(), size=6)]


def test_a_line_says_who_why_and_who_holds_it(
    gateway: Gateway, two_requests: tuple[str, str]
) -> None:
    first = pending(gateway)[0]
    claim_item(gateway.engine, first, "rita")
    line = queue_page(gateway.engine, QueueFilter())[0]
    assert (line.item_pk, line.claimed_by) == (first, "rita")
    assert line.name == "María Guadalupe García López"
    assert line.reason_codes == ("batch_held_for_review",)
    assert line.held_since.tzinfo is not None


def test_the_next_free_item_passes_over_other_reviewers_claims_and_wraps(
    gateway: Gateway, two_requests: tuple[str, str]
) -> None:
    order = [line.item_pk for line in queue_page(gateway.engine, QueueFilter(), sort="oldest")]
    claim_item(gateway.engine, order[1], "sam")
    chosen = QueueFilter()
    assert next_free_item(gateway.engine, chosen, "rita", sort="oldest") == order[0]
    assert next_free_item(gateway.engine, chosen, "rita", after=order[0], sort="oldest") == order[2]
    assert next_free_item(gateway.engine, chosen, "sam", after=order[0], sort="oldest") == order[1]
    assert (
        next_free_item(gateway.engine, chosen, "rita", after=order[-1], sort="oldest") == order[0]
    )
    newest = next_free_item(gateway.engine, chosen, "rita", sort="newest")
    assert newest == order[-1]
    with gateway.engine.connect() as con:
        request_of = con.execute(
            sa.select(items.c.request_id).where(items.c.id == order[-1])
        ).scalar_one()
    only = QueueFilter(request=request_of, search="nobody")
    assert next_free_item(gateway.engine, only, "rita") is None
