"""Every page in chromium: labelled controls, titled graphics, 4.5:1 text contrast, Tab reach."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page

from portcullis.gateway import Gateway
from tests.web.accessibility import (
    low_contrast_text,
    unlabelled_controls,
    unreachable_by_tab,
    untitled_graphics,
)
from tests.web.browser import screenshot

pytestmark = pytest.mark.browser

PAGES = [
    pytest.param(None, "/ui/signin", "signin", id="signin"),
    pytest.param("rita.reviewer", "/ui/review", "review-queue", id="review"),
    pytest.param("omar.operator", "/ui/requests", "requests", id="requests"),
    pytest.param("omar.operator", "/ui/requests/{request_id}", "request", id="request"),
    pytest.param("avery.auditor", "/ui/dashboard", "oversight", id="dashboard"),
    pytest.param("avery.auditor", "/ui/ledger?index=2", "ledger-entry", id="ledger"),
    pytest.param("rita.reviewer", "/ui/ledger", "forbidden", id="forbidden"),
]


@pytest.mark.parametrize(("account", "path", "name"), PAGES)
def test_every_page_passes_the_accessibility_checks(
    open_as: Callable[[str | None, str], Page],
    browser_site: Gateway,
    account: str | None,
    path: str,
    name: str,
) -> None:
    request_id = browser_site.workspace.home.joinpath("held-request-id").read_text()
    page = open_as(account, path.format(request_id=request_id))
    screenshot(page, name)
    assert unlabelled_controls(page) == []
    assert untitled_graphics(page) == []
    assert low_contrast_text(page) == []
    assert unreachable_by_tab(page) == set()


FAULTY_PAGE = """<!DOCTYPE html><html lang="en"><body>
<input id="nameless"><p style="color: #aaaaaa">faint text</p>
<svg width="10" height="10"><rect width="10" height="10"/></svg><img src="data:,">
<a href="#" tabindex="-1">a link no Tab reaches</a><a href="#">a reachable link</a>
</body></html>"""


def test_the_checks_find_the_faults_they_look_for(browser: Browser) -> None:
    page = browser.new_page()
    try:
        page.set_content(FAULTY_PAGE)
        assert len(unlabelled_controls(page)) == 1
        assert len(untitled_graphics(page)) == 2
        assert [finding["text"] for finding in low_contrast_text(page)] == ["faint text"]
        assert len(unreachable_by_tab(page)) == 1
    finally:
        page.close()
