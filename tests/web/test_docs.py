"""The web pages' documentation: every page and every screenshot it shows is accounted for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portcullis.web.access import PAGES, Page

DOC = Path(__file__).resolve().parents[2] / "docs" / "web.md"


@pytest.mark.parametrize("page", [pytest.param(page, id=page.key) for page in PAGES])
def test_every_page_is_documented_with_its_path(page: Page) -> None:
    assert f"`{page.path}" in DOC.read_text(encoding="utf-8")


def test_every_screenshot_the_doc_shows_is_one_the_browser_tests_save() -> None:
    shown = re.findall(r"\]\(screenshots/([a-z-]+)\.png\)", DOC.read_text(encoding="utf-8"))
    tests = "".join(
        path.read_text(encoding="utf-8") for path in DOC.parents[1].glob("tests/web/test_*.py")
    )
    saved = set(re.findall(r'screenshot\([a-z]+, "([a-z-]+)"', tests))
    saved |= set(re.findall(r'"/ui/[^"]*", "([a-z-]+)", id=', tests))
    assert shown and set(shown) <= saved
