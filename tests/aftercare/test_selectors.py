"""Recall selectors as pure values: which items they name, the street-line rule, combinations."""

from __future__ import annotations

import datetime as dt

import pytest

from portcullis.aftercare.selectors import (
    ZIP_ONLY_ADDRESS,
    RuleUnknown,
    SelectorInvalid,
    all_of,
    lacks_street_line,
    named_rule,
    one_release,
    released_between,
    whole_request,
)


@pytest.mark.parametrize(
    "record",
    [
        pytest.param({"street": "", "zip": "78205"}, id="zip-only"),
        pytest.param({"zip": "78205"}, id="street-absent"),
        pytest.param({"street": None, "city": "San Antonio"}, id="street-null"),
        pytest.param({"street": "N/A"}, id="placeholder"),
        pytest.param({"street": "78205"}, id="zip-in-street-line"),
    ],
)
def test_items_without_a_street_line_are_what_the_zip_only_rule_recalls(
    record: dict[str, object],
) -> None:
    assert lacks_street_line(record)
    assert named_rule(ZIP_ONLY_ADDRESS).keeps(record)


@pytest.mark.parametrize(
    "street",
    [
        pytest.param("400 Pine Avenue", id="numbered-street"),
        pytest.param("PO Box 1200", id="po-box"),
    ],
)
def test_items_with_a_street_line_are_left_alone(street: str) -> None:
    assert not named_rule(ZIP_ONLY_ADDRESS).keeps({"street": street})


def test_an_unknown_rule_is_refused_with_the_known_ones() -> None:
    with pytest.raises(RuleUnknown, match=ZIP_ONLY_ADDRESS):
        named_rule("everything")


@pytest.mark.parametrize(
    ("row", "item_id"),
    [pytest.param(None, None, id="neither"), pytest.param(3, "I-3", id="both")],
)
def test_one_release_is_named_by_exactly_one_of_row_or_item_id(
    row: int | None, item_id: str | None
) -> None:
    with pytest.raises(SelectorInvalid):
        one_release("R-1", row=row, item_id=item_id)


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(SelectorInvalid):
        released_between(dt.date(2026, 3, 2), dt.date(2026, 3, 1))


def test_combined_selectors_need_every_part() -> None:
    combined = all_of(whole_request("R-1"), named_rule(ZIP_ONLY_ADDRESS))
    assert "R-1" in combined.description and "ZIP-only" in combined.description
    assert combined.keeps({"street": ""})
    assert not combined.keeps({"street": "12 Elm St"})
    with pytest.raises(SelectorInvalid):
        all_of()
