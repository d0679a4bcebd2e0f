"""Every reason code is documented in docs/reason-codes.md with its citation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portcullis.checks import REASONS, refusals
from portcullis.checks.refusals import RequestRefused

PAGE = Path(__file__).resolve().parents[2] / "docs" / "reason-codes.md"


def documented() -> dict[str, str]:
    rows = re.findall(r"^\| `([a-z0-9_]+)` \| ([^|]+) \|", PAGE.read_text(), flags=re.MULTILINE)
    return {code: citation.strip() for code, citation in rows}


@pytest.mark.parametrize("code", sorted(REASONS))
def test_each_code_is_on_the_page_with_its_citation(code: str) -> None:
    assert documented().get(code) == REASONS[code].citation


def test_the_page_lists_no_unknown_code() -> None:
    assert set(documented()) <= set(REASONS)


def test_every_refusal_has_a_registered_code() -> None:
    classes = [
        value
        for value in vars(refusals).values()
        if isinstance(value, type)
        and issubclass(value, RequestRefused)
        and value is not RequestRefused
    ]
    assert classes
    assert all(cls.code in REASONS for cls in classes)
