from __future__ import annotations

import pytest

from portcullis.contract.placeholders import (
    is_placeholder,
    is_placeholder_designator,
    placeholder_within,
)


@pytest.mark.parametrize(
    ("text", "address", "expected"),
    [
        pytest.param("UNKNOWN", False, True, id="unknown"),
        pytest.param("n/a", False, True, id="n-slash-a"),
        pytest.param("Na", False, False, id="surname-na"),
        pytest.param("NA", True, True, id="na-in-address"),
        pytest.param("00000", True, True, id="zeros"),
        pytest.param("XXX", False, True, id="crosses"),
        pytest.param("J", False, False, id="initial"),
        pytest.param("Blank", False, False, id="surname-blank"),
        pytest.param("Blank", True, True, id="blank-in-address"),
        pytest.param(" - ", False, True, id="punctuation-only"),
        pytest.param("FNU", False, True, id="first-name-unknown"),
        pytest.param("Nguyen", False, False, id="real-name"),
        pytest.param("Đỗ", False, False, id="vietnamese-surname-all-diacritics"),
        pytest.param("Ngô", False, False, id="vietnamese-surname-accented"),
        pytest.param("Nil", False, False, id="given-name-nil"),
        pytest.param("1 Main St", True, False, id="real-street"),
    ],
)
def test_is_placeholder(text: str, address: bool, expected: bool) -> None:
    assert is_placeholder(text, address=address) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("ADDRESS UNKNOWN", True, id="address-unknown"),
        pytest.param("Unknown City", True, id="unknown-city"),
        pytest.param("not available", True, id="not-available"),
        pytest.param("123 Unknown Rd", False, id="street-named-unknown"),
        pytest.param("Na Ville", False, id="city-starting-na"),
    ],
)
def test_multiword_address_placeholders(text: str, expected: bool) -> None:
    assert is_placeholder(text, address=True) is expected


@pytest.mark.parametrize(
    ("text", "found"),
    [
        pytest.param("99 UNKNOWN ADDRESS", "UNKNOWN", id="number-before-placeholder"),
        pytest.param("1 U N K N O W N", "UNKNOWN", id="spaced-letters"),
        pytest.param("12 U.N.K. Rd", "UNK", id="punctuated-letters"),
        pytest.param("5 Unkown St", "UNKOWN", id="slipped"),
        pytest.param("5 Uknnown St", "UKNNOWN", id="swapped-and-doubled"),
        pytest.param("7 UNKN0WN ST", "UNKN0WN", id="zero-for-o"),
        pytest.param("1 Not Known Ln", "NOT KNOWN", id="spelled-out"),
        pytest.param("3 Calle Desconocida", "DESCONOCIDA", id="spanish"),
        pytest.param("1 Main St Apt N/A", "N/A", id="n-slash-a-anywhere"),
        pytest.param("12 Main St Apt XXX", "XXX", id="filler-anywhere"),
        pytest.param("123 Main St", None, id="real-street"),
        pytest.param("7 N A St", None, id="north-a-street"),
        pytest.param("12 Nunez Rd", None, id="nunez"),
        pytest.param("10 None Such Rd", None, id="nonesuch"),
        pytest.param("Truth or Consequences", None, id="real-city"),
        pytest.param("Nothing", None, id="nothing-arizona"),
    ],
)
def test_placeholder_within(text: str, found: str | None) -> None:
    assert placeholder_within(text) == found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("N/A", True, id="na"),
        pytest.param("none", True, id="none"),
        pytest.param("0", True, id="zero"),
        pytest.param("XXX", True, id="filler"),
        pytest.param("2", False, id="unit-two"),
        pytest.param("11", False, id="unit-eleven"),
        pytest.param("Apt 4B", False, id="apartment"),
        pytest.param("III", False, id="suffix-third"),
        pytest.param("JR", False, id="suffix-junior"),
    ],
)
def test_is_placeholder_designator(text: str, expected: bool) -> None:
    assert is_placeholder_designator(text) is expected
