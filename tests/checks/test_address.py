from __future__ import annotations

import pytest

from portcullis.checks.address import address_findings, is_street_line

from .conftest import ItemFactory


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("123 Main St", True, id="street"),
        pytest.param("1600 Pennsylvania Ave NW", True, id="directional"),
        pytest.param("PO Box 12", True, id="po-box"),
        pytest.param("Rural Route 2 Box 5", True, id="rural-route"),
        pytest.param("62701", False, id="zip"),
        pytest.param("Main Street", False, id="no-number"),
        pytest.param("Springfield", False, id="city"),
        pytest.param("123", False, id="number-only"),
    ],
)
def test_is_street_line(text: str, expected: bool) -> None:
    assert is_street_line(text) is expected


def test_a_complete_address_passes(make_item: ItemFactory) -> None:
    assert address_findings(make_item()) == ()


def test_every_missing_part_is_named(make_item: ItemFactory) -> None:
    found = address_findings(make_item(street=None, city=None, state=None, zip=None))
    assert [(f.code, f.field) for f in found] == [
        ("address_incomplete", "street"),
        ("address_incomplete", "city"),
        ("address_incomplete", "state"),
        ("address_incomplete", "zip"),
    ]


def test_a_city_that_is_a_number_is_refused(make_item: ItemFactory) -> None:
    assert [f.code for f in address_findings(make_item(city="62701"))] == ["address_placeholder"]


def test_the_unit_is_optional(make_item: ItemFactory) -> None:
    assert address_findings(make_item(unit=None)) == ()


def test_findings_cite_the_statute(make_item: ItemFactory) -> None:
    (found,) = address_findings(make_item(street=None))
    assert found.citation == "26 U.S.C. 6103(i)(2)(B)(i)"
