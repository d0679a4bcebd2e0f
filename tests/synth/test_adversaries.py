"""Tests for portcullis.synth.adversaries."""

from __future__ import annotations

import random

import pytest

from portcullis.synth.adversaries import ADVERSARIES, PLACEHOLDERS
from portcullis.synth.paperwork import CIVIL_STATUTE, TAX_STATUTE

from .subject_fixture import make_draft


def test_zip_only_leaves_nothing_but_the_zip() -> None:
    for seed in range(30):
        draft = make_draft()
        ADVERSARIES["zip_only_address"](random.Random(seed), draft)
        item = draft.item
        assert item["zip"] and not item["city"] and not item["state"] and not item["unit"]
        assert item["street"] in (None, item["zip"])


def test_placeholder_puts_a_placeholder_in_the_address() -> None:
    for seed in range(30):
        draft = make_draft()
        ADVERSARIES["placeholder_address"](random.Random(seed), draft)
        fields = {draft.item[f] for f in ("street", "city", "zip")}
        assert fields & set(PLACEHOLDERS)


@pytest.mark.parametrize(
    ("name", "field", "value"),
    [
        pytest.param("missing_statute", "statute", None, id="statute"),
        pytest.param("missing_reason", "reason", None, id="reason"),
        pytest.param("civil_statute", "statute", CIVIL_STATUTE, id="civil"),
        pytest.param("tax_statute", "statute", TAX_STATUTE, id="tax"),
    ],
)
def test_paperwork_defects(name: str, field: str, value: str | None) -> None:
    draft = make_draft()
    ADVERSARIES[name](random.Random(2), draft)
    assert draft.item[field] == value


@pytest.mark.parametrize("statute", ["civil_statute", "tax_statute"])
def test_wrong_statute_reason_cites_it(statute: str) -> None:
    draft = make_draft()
    ADVERSARIES[statute](random.Random(2), draft)
    reason = draft.item["reason"] or ""
    assert str(draft.item["statute"]) in reason


def test_missing_name_blanks_a_name_part() -> None:
    for seed in range(30):
        draft = make_draft()
        ADVERSARIES["missing_name"](random.Random(seed), draft)
        assert draft.item["first_name"] is None or draft.item["last_name"] is None
