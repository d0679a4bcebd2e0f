from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portcullis.checks import REASONS
from portcullis.checks.address import address_findings, record_address_findings
from portcullis.checks.street import is_street_line

from .address_strategies import DIRECTIONALS, STREET_NAMES, UNITS
from .conftest import ItemFactory


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("123 Main St", True, id="street"),
        pytest.param("1600 Pennsylvania Ave NW", True, id="directional"),
        pytest.param("PO Box 12", True, id="po-box"),
        pytest.param("Rural Route 2 Box 5", True, id="rural-route"),
        pytest.param("HC 68 Box 23", True, id="highway-contract"),
        pytest.param("General Delivery", True, id="general-delivery"),
        pytest.param("PSC 1234 Box 5678", True, id="military-psc"),
        pytest.param("123 1/2 Main St", True, id="fraction"),
        pytest.param("45-12 Queens Blvd", True, id="hyphenated-number"),
        pytest.param("RR 2", False, id="route-without-box"),
        pytest.param("PO Box 0", False, id="box-zero"),
        pytest.param("0 Main St", False, id="house-zero"),
        pytest.param("Unknown 123", False, id="placeholder-box-type"),
        pytest.param("Main St & Oak Ave", False, id="intersection"),
        pytest.param("100A St Marks St", True, id="saint-after-lettered-number"),
        pytest.param("12 Main St & 3rd Ave", False, id="numbered-intersection"),
        pytest.param("1 1/2 Box Elder Street", True, id="box-in-a-street-name"),
        pytest.param("10 E St Marks St", True, id="saint-after-a-direction"),
        pytest.param("30 E Saint Paul St", True, id="direction-before-saint"),
        pytest.param("1 1/2 Saint Paul St Fl 2", True, id="saint-read-as-a-city"),
        pytest.param("100A St Marks St Trlr 3", True, id="saint-before-a-trailer"),
        pytest.param("100A La Cienega Pl Trlr 3", True, id="trailer-after-a-place"),
        pytest.param("30 E Saint Paul St & Oak Ave", False, id="saint-in-an-intersection"),
        pytest.param("30 E Unknown St Trlr 3", False, id="placeholder-before-a-trailer"),
        pytest.param("1 B.L.A.N.K", False, id="letters-spelling-a-placeholder"),
        pytest.param("12 Box 5", False, id="number-before-a-box"),
        pytest.param("62701", False, id="zip"),
        pytest.param("Main Street", False, id="no-number"),
        pytest.param("Springfield", False, id="city"),
        pytest.param("123", False, id="number-only"),
    ],
)
def test_is_street_line(text: str, expected: bool) -> None:
    assert is_street_line(text) is expected


def test_every_street_of_the_generated_grid_is_a_street_line() -> None:
    # The whole grid the generated-address property test samples from, read once each: the
    # parser's misreadings ("Saint Paul St" as a city and a state) are found here, not by chance.
    lines = [
        f"{number} {direction}{name}{kind}{unit}"
        for number, direction, name, kind, unit in itertools.product(
            ("30", "100A", "1 1/2"),
            DIRECTIONALS,
            STREET_NAMES,
            (" St", " Street", " Ave", " Rd", " Blvd", " Dr", " Ln", " Pl"),
            (*UNITS, " Trlr 3", " Fl 2"),
        )
    ]
    assert [line for line in lines if not is_street_line(line)] == []


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


@pytest.mark.parametrize(
    "street",
    [
        "123 UNKNOWN ST",
        "123 Unknown",
        "1 N/A Street",
        "8 n.a. st",
        "00 XXXX Rd",
        "12 Address Unknown",
        "5 Not Provided Ave",
        "42 U-N-K-N-O-W-N Street",
        "1 Unknown Avenue Apt 4",
        "12 TBD Blvd",
        "1 aaaa st",
    ],
)
def test_a_house_number_before_a_placeholder_is_refused(
    make_item: ItemFactory, street: str
) -> None:
    codes = {(f.code, f.field) for f in address_findings(make_item(street=street))}
    assert codes & {("address_placeholder", "street"), ("address_street_unparseable", "street")}


@pytest.mark.parametrize(
    "street",
    ["100 Main St", "221B Baker St", "1600 Pennsylvania Ave NW", "12 Nunez Rd", "7 Unkel Ct"],
)
def test_a_real_street_name_is_not_taken_for_a_placeholder(
    make_item: ItemFactory, street: str
) -> None:
    assert address_findings(make_item(street=street)) == ()


_PLACEHOLDER_WORDS = ["unknown", "UNK", "n/a", "N.A.", "none", "null", "tbd", "not provided", "xxx"]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    number=st.integers(min_value=1, max_value=99999),
    word=st.sampled_from(_PLACEHOLDER_WORDS),
    case=st.sampled_from([str.upper, str.lower, str.title]),
    suffix=st.sampled_from(["", " St", " Street", " Ave", " Rd", " Blvd", " Dr Apt 2"]),
)
def test_generated_disguised_placeholders_are_always_refused(
    make_item: ItemFactory, number: int, word: str, case: Callable[[str], str], suffix: str
) -> None:
    street = f"{number} {case(word)}{suffix}"
    codes = {f.code for f in address_findings(make_item(street=street))}
    assert codes & {"address_placeholder", "address_street_unparseable"}, street


@pytest.mark.parametrize(
    "address",
    [
        {"street": "78205", "city": "San Antonio", "state": "TX", "zip": "78205"},
        {"street": "UNKNOWN", "city": "San Antonio", "state": "TX", "zip": "78205"},
        {"street": "12 N/A St", "city": "San Antonio", "state": "TX", "zip": "78205"},
        {"street": "77 Oak Rd", "city": None, "state": "TX", "zip": "78205"},
        {"street": "77 Oak Rd", "city": "San Antonio", "state": "TX", "zip": "782"},
        {"street": None, "city": None, "state": None, "zip": "78205"},
    ],
)
def test_an_address_of_record_that_is_no_street_address_is_never_released(
    address: dict[str, str | None],
) -> None:
    (found,) = record_address_findings(address)
    assert found.code == "record_address_unusable"
    assert REASONS[found.code].silent  # the requester learns only no_match


def test_a_complete_address_of_record_may_be_released() -> None:
    address = {"street": "77 Oak Rd", "unit": "", "city": "San Antonio", "state": "TX"}
    assert record_address_findings({**address, "zip": "78209"}) == ()
