"""Address standardisation: USPS abbreviations, units, PO boxes, ZIP+4."""

from __future__ import annotations

import pytest

from portcullis.matching.address import standardise_address


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param(
            ("123 North Main Street", None, "Springfield", "IL", "62701"),
            ("123 N Main St", None, "springfield", "il", "62701-1234"),
            id="directional-type-zip4",
        ),
        pytest.param(
            ("5 Elm Avenue Apt 4B", None, "Austin", "TX", "78701"),
            ("5 Elm Ave", "#4b", "Austin", "TX", "78701"),
            id="unit-inline-or-separate",
        ),
        pytest.param(
            ("9 Pine Rd", None, "St. Louis", "MO", "63101"),
            ("9 Pine Road", None, "Saint Louis", "MO", "63101"),
            id="saint-abbreviation",
        ),
        pytest.param(
            ("P.O. Box 55", None, "Austin", "TX", "78701"),
            ("PO BOX 55", None, "Austin", "TX", "78701"),
            id="po-box",
        ),
    ],
)
def test_variants_standardise_alike(
    left: tuple[str, str | None, str, str, str], right: tuple[str, str | None, str, str, str]
) -> None:
    assert standardise_address(*left) == standardise_address(*right)


def test_parts_are_split() -> None:
    address = standardise_address(
        "77B Sunset Boulevard Suite 200", None, "Los Angeles", "CA", "90028"
    )
    assert address.house == "77b"
    assert address.street_name == "sunsetblvd"
    assert address.unit == "200"
    assert address.city == "losangeles"
    assert address.zip5 == "90028"


@pytest.mark.parametrize(
    "zip_code",
    [pytest.param("", id="blank"), pytest.param("1234", id="short"), pytest.param(None, id="none")],
)
def test_bad_zip_is_none(zip_code: str | None) -> None:
    assert standardise_address("1 Main St", None, "X", "TX", zip_code).zip5 is None


def test_different_house_numbers_differ() -> None:
    left = standardise_address("12 Oak St", None, "Springfield", "IL", "62701")
    right = standardise_address("14 Oak St", None, "Springfield", "IL", "62701")
    assert left != right
