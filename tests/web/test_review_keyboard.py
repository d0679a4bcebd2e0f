"""In Debian's chromium: a working day's queue, paged, filtered, and settled from the keyboard."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from portcullis.gateway import Gateway
from portcullis.store.tables import decisions
from tests.web.browser import sign_in
from tests.web.conftest import PASSWORD, hold_batch, write_held_batch

pytestmark = pytest.mark.browser
SETTLED_BY_KEYBOARD = 100


@pytest.fixture(scope="module")
def long_queue(browser_site: Gateway, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Hold a request of 104 more items on the module's site, beside its own five."""
    path = write_held_batch(tmp_path_factory.mktemp("long") / "long.csv", good=104, series="2030")
    return hold_batch(browser_site, path)


@pytest.fixture
def reviewer(browser: Browser, live_url: str, long_queue: str) -> Iterator[Page]:
    page = sign_in(browser, live_url, "rita.reviewer", PASSWORD)
    expect(page).to_have_url(re.compile(r"/ui/review$"))
    yield page
    page.context.close()


def outcomes(gateway: Gateway) -> dict[str, int]:
    query = sa.select(decisions.c.outcome, sa.func.count()).group_by(decisions.c.outcome)
    with gateway.engine.connect() as con:
        return {str(outcome): int(count) for outcome, count in con.execute(query)}


def shown_waiting(page: Page) -> int:
    return int(page.locator('[data-figure="waiting"]').inner_text().replace(",", ""))


def test_the_queue_pages_and_filters_with_counts_from_the_database(
    reviewer: Page, browser_site: Gateway, long_queue: str
) -> None:
    waiting = outcomes(browser_site)["pending_review"]
    assert shown_waiting(reviewer) == waiting
    lines = reviewer.locator("#queue-lines tbody tr")
    expect(lines).to_have_count(min(waiting, 50))
    pages = -(-waiting // 50)
    expect(reviewer.locator("#queue-lines caption")).to_have_text(
        f"Page 1 of {pages}, most likely to release first"
    )
    reviewer.get_by_role("link", name="Next page").click()
    expect(reviewer.locator("#queue-lines caption")).to_have_text(
        f"Page 2 of {pages}, most likely to release first"
    )
    reviewer.get_by_label("Request", exact=True).fill(long_queue)
    reviewer.get_by_label("Search", exact=True).fill("I-7")
    reviewer.get_by_label("Search", exact=True).press("Enter")
    # I-7 and I-70 … I-79 of the long request.
    expect(reviewer.locator("#queue-lines tbody tr")).to_have_count(11)
    assert shown_waiting(reviewer) == 11
    expect(reviewer.locator('[data-figure="waiting-all"]')).to_have_text(f"{waiting:,}")
    reviewer.get_by_label("Order", exact=True).select_option("newest")
    reviewer.get_by_role("button", name="Show").click()
    expect(reviewer.locator("#queue-lines tbody tr a").first).to_have_text("I-79")


def test_a_reviewer_settles_a_hundred_items_from_the_keyboard_alone(
    reviewer: Page, browser_site: Gateway
) -> None:
    before = outcomes(browser_site)
    size = browser_site.ledger.size()
    # A full page load would drop this mark; the next item must arrive without one.
    reviewer.evaluate("() => { window.stillTheSamePage = true; }")
    expect(reviewer.locator("html")).to_have_attribute("data-review-keys", "ready")
    skipped = reviewer.locator("#evidence").get_attribute("data-item")
    reviewer.keyboard.press("s")
    expect(reviewer.locator("#evidence")).not_to_have_attribute("data-item", str(skipped))
    for number in range(SETTLED_BY_KEYBOARD):
        current = reviewer.locator("#evidence").get_attribute("data-item")
        assert current is not None and current != skipped
        approve = number % 2 == 0
        reviewer.keyboard.press("a" if approve else "r")
        expect(reviewer.get_by_label(re.compile(r"^Reason \(required"))).to_be_focused()
        reviewer.keyboard.type("Name and date of birth agree." if approve else "DOB unverified.")
        reviewer.keyboard.press("Enter")
        expect(reviewer.locator("#notice")).to_contain_text(
            "is now disclosed" if approve else "is now refused"
        )
        expect(reviewer.locator("#evidence")).not_to_have_attribute("data-item", current)
    assert reviewer.evaluate("() => window.stillTheSamePage") is True
    after = outcomes(browser_site)
    assert after["pending_review"] == before["pending_review"] - SETTLED_BY_KEYBOARD
    assert after.get("disclosed", 0) - before.get("disclosed", 0) == SETTLED_BY_KEYBOARD // 2
    assert after.get("refused", 0) - before.get("refused", 0) == SETTLED_BY_KEYBOARD // 2
    assert browser_site.ledger.size() == size + SETTLED_BY_KEYBOARD
    assert shown_waiting(reviewer) == after["pending_review"]
    with browser_site.engine.connect() as con:
        deciders = set(
            con.execute(
                sa.select(decisions.c.decided_by).where(
                    decisions.c.reason_codes == "reviewer_refused"
                )
            ).scalars()
        )
        skipped_outcome = con.execute(
            sa.select(decisions.c.outcome).where(decisions.c.item_pk == int(str(skipped)))
        ).scalar_one()
    assert deciders == {"rita.reviewer"}
    assert skipped_outcome == "pending_review"
