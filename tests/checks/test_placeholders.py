from __future__ import annotations

import pytest

from portcullis.checks.placeholders import is_placeholder


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
