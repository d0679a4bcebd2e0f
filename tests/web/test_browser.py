"""In Debian's chromium: sign in, approve a held item by keyboard, see the dashboard change,
verify a ledger proof in the page, and be refused a page the role may not see."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.web.browser import screenshot, sign_in
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.browser


def tab_to(page: Page, target: Locator, *, limit: int = 80) -> None:
    """Press Tab until `target` has the keyboard focus, as a keyboard-only user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def test_an_approval_by_keyboard_shows_on_the_dashboard(browser: Browser, live_url: str) -> None:
    auditor = sign_in(browser, live_url, "avery.auditor", PASSWORD)
    auditor.goto("/ui/dashboard")
    releases = auditor.locator('[data-figure="releases"]')
    before = int(releases.inner_text())
    reviewer = sign_in(browser, live_url, "rita.reviewer", PASSWORD)
    expect(reviewer).to_have_url(re.compile(r"/ui/review$"))
    held = reviewer.locator("article.held").first
    item = held.get_attribute("data-item")
    heading = held.get_by_role("heading", level=2).inner_text()
    found = re.fullmatch(r"Item (\S+) of request (\S+) \(row \d+\)", heading)
    assert found is not None
    tab_to(reviewer, held.get_by_label("Approve and release"))
    reviewer.keyboard.press("Space")
    reviewer.keyboard.press("Tab")
    reviewer.keyboard.type("Name, date of birth and address history agree.")
    reviewer.keyboard.press("Tab")
    reviewer.keyboard.press("Enter")
    expect(reviewer.get_by_role("status")).to_have_text(
        f"Item {found[1]} of request {found[2]} is now disclosed; "
        "the decision is recorded in the ledger."
    )
    expect(reviewer.locator(f'article[data-item="{item}"]')).to_have_count(0)
    screenshot(reviewer, "review-approved")
    auditor.reload()
    expect(releases).to_have_text(str(before + 1))
    screenshot(auditor, "oversight-after-approval", part=auditor.locator("#totals"))


def test_an_auditor_verifies_an_inclusion_proof_in_the_page(
    browser: Browser, live_url: str
) -> None:
    page = sign_in(browser, live_url, "avery.auditor", PASSWORD)
    page.goto("/ui/ledger")
    page.get_by_label("Entry number").fill("3")
    page.get_by_label("Entry number").press("Enter")
    expect(page.locator("#server-result")).to_contain_text("Verified on the server")
    verify = page.get_by_role("button", name="Verify in this browser")
    expect(verify).to_be_enabled()
    verify.focus()
    page.keyboard.press("Enter")
    size = page.locator('[data-figure="size"]').inner_text()
    expect(page.locator("#browser-result")).to_have_text(
        f"Verified in this browser: entry 3 is in the signed tree of size {size}."
    )
    expect(page.locator("#browser-steps li")).to_have_text([re.compile("^passed ")] * 6)
    expect(page.locator("#browser-steps")).to_contain_text(
        "The cosignature of witness tigta verifies."
    )
    screenshot(page, "ledger-verified", part=page.locator("#proof"))
    # One changed byte must break the proof: the check is real, not a rubber stamp.
    entry = page.get_by_label(re.compile("^Entry bytes"))
    entry.fill(entry.input_value().replace('"row":4', '"row":5'))
    verify.click()
    expect(page.locator("#browser-result")).to_have_text(
        "Not verified in this browser: see the failed steps above."
    )
    expect(page.locator("#browser-steps li").first).to_contain_text("failed")


@pytest.mark.parametrize(
    ("account", "path"),
    [
        pytest.param("rita.reviewer", "/ui/ledger", id="reviewer-ledger"),
        pytest.param("omar.operator", "/ui/review", id="operator-review"),
    ],
)
def test_a_role_is_refused_a_page_it_may_not_see(
    open_as: Callable[[str | None, str], Page], account: str, path: str
) -> None:
    page = open_as(account, "/ui")
    response = page.goto(path)
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not for your role")
    expect(page.get_by_role("navigation", name="Pages")).not_to_contain_text(
        {"/ui/ledger": "Ledger", "/ui/dashboard": "Oversight", "/ui/review": "Review"}[path]
    )


def test_a_requester_cannot_sign_in_to_the_pages(browser: Browser, live_url: str) -> None:
    page = sign_in(browser, live_url, "ice.service", PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("requesting agencies use the API")
    screenshot(page, "signin-refused")
    assert page.context.cookies() == [] or all(
        cookie["name"] != "portcullis_session" for cookie in page.context.cookies()
    )
