"""The issue's named cases, through the request reader and the checks, as a requester sends them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from portcullis.checks import ignored_field_notes, statutory_findings
from portcullis.contract.request_file import read_request_file
from portcullis.programs import Program
from tests.contract.test_request_file import GOOD, write_csv

TODAY = dt.date(2026, 3, 1)


def _codes(tmp_path: Path, program: Program, **changes: str) -> list[str]:
    item = read_request_file(write_csv(tmp_path / "r.csv", [{**GOOD, **changes}])).items[0]
    return [f.code for f in statutory_findings(item, program, today=TODAY)]


@pytest.mark.parametrize(
    "street",
    [
        "123 Unknown St", "1 N/A", "0 none", "99 UNKNOWN ADDRESS", "12 xxx", "12 U.N.K.N.O.W.N Ave",
        "5 Unknwn Rd", "5 Unkown St", "7 UNKN0WN ST", "8 Unnknown Dr", "1 Not Known Ln",
        "4 No Address", "1 Main St Unknown", "Unknown 123", "PO Box Unknown", "PO Box N/A",
        "12 Fake St", "3 Calle Desconocida", "1 TBD", "22 Address St", "9 Not Applicable Way",
        "12 N O N E St", "3 n-o-n-e ave",
    ],
)  # fmt: skip
def test_a_disguised_placeholder_street_is_refused(
    tmp_path: Path, program: Program, street: str
) -> None:
    assert "address_placeholder" in _codes(tmp_path, program, street=street)


@pytest.mark.parametrize(
    "address",
    [
        {"street": "123 1/2 Main St"},
        {"street": "45-12 Queens Blvd", "city": "Sunnyside", "state": "NY", "zip": "11104"},
        {"street": "N6W23001 Bluemound Rd", "city": "Waukesha", "state": "WI", "zip": "53188"},
        {"street": "1200 E 300 S", "city": "Salt Lake City", "state": "UT", "zip": "84102"},
        {"street": "One World Trade Ctr", "city": "New York", "state": "NY", "zip": "10007"},
        {"street": "PO Box 1234", "unit": ""},
        {"street": "POB 12", "unit": ""},
        {"street": "RR 2 Box 152", "unit": ""},
        {"street": "HC 68 Box 23", "unit": ""},
        {"street": "General Delivery", "unit": "", "city": "Juneau", "state": "AK", "zip": "99801"},
        {"street": "PSC 1234 Box 5678", "unit": "", "city": "APO", "state": "AE", "zip": "09012"},
        {"street": "Unit 2050 Box 4190", "unit": "", "city": "APO", "state": "AP", "zip": "96278"},
        {"street": "CMR 450 Box 123", "unit": "", "city": "APO", "state": "AE", "zip": "09058"},
        {"street": "USNS Comfort", "unit": "", "city": "FPO", "state": "AA", "zip": "34092"},
        {"street": "PO Box 1234", "unit": "", "city": "Kolonia", "state": "FM", "zip": "96941"},
        {"street": "PO Box 12", "unit": "", "city": "Majuro", "state": "MH", "zip": "96960"},
        {"street": "PO Box 1000", "unit": "", "city": "Koror", "state": "PW", "zip": "96940"},
        {"street": "123 Marine Corps Dr", "city": "Hagåtña", "state": "GU", "zip": "96910"},
        {"street": "Urb Las Gladiolas 150 Calle A", "city": "San Juan", "state": "PR",
         "zip": "00926"},
        {"street": "Calle 2 #45", "city": "San Juan", "state": "PR", "zip": "00926"},
        {"street": "Carr 857 Km 3.2", "city": "Carolina", "state": "PR", "zip": "00987"},
        {"street": "1234 Main Street Bldg 5 Rm 12", "unit": ""},
        {"street": "12 X St", "city": "Sacramento", "state": "CA", "zip": "95818"},
        {"street": "5 Rte 9"},
        {"street": "12 US Highway 1"},
    ],
)  # fmt: skip
def test_a_real_unusual_address_is_not_refused(
    tmp_path: Path, program: Program, address: dict[str, str]
) -> None:
    assert _codes(tmp_path, program, **address) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("date_of_birth", "1971-20-08", id="dob-month-20"),
        pytest.param("date_of_birth", "1989-10-|2", id="dob-bar-for-digit"),
        pytest.param("date_of_birth", "1850-01-01", id="dob-implausible"),
        pytest.param("unit", "N/A", id="unit-na"),
        pytest.param("unit", "none", id="unit-none"),
        pytest.param("middle_name", "NMN", id="middle-nmn"),
        pytest.param("name_suffix", "n/a", id="suffix-na"),
        pytest.param("tin", "000-00-0000", id="tin-zeros"),
        pytest.param("tin", "12-345", id="tin-short"),
    ],
)
def test_an_unreadable_or_placeholder_optional_field_is_ignored_not_refused(
    tmp_path: Path, program: Program, field: str, value: str
) -> None:
    item = read_request_file(write_csv(tmp_path / "r.csv", [{**GOOD, field: value}])).items[0]
    assert getattr(item, field) is None  # matched as not given
    assert statutory_findings(item, program, today=TODAY) == ()
    (note,) = ignored_field_notes(item)
    assert (note.code, note.field) == ("field_ignored", field)
    assert "row 1" in note.message


@pytest.mark.parametrize(
    ("field", "value"),
    [("unit", "Apt 1"), ("unit", "2"), ("name_suffix", "III"), ("middle_name", "X.")],
)
def test_a_real_optional_value_is_kept(
    tmp_path: Path, program: Program, field: str, value: str
) -> None:
    item = read_request_file(write_csv(tmp_path / "r.csv", [{**GOOD, field: value}])).items[0]
    if field == "middle_name":
        # A lone X is read as filler, never matched; the item still passes.
        assert statutory_findings(item, program, today=TODAY) == ()
        return
    assert getattr(item, field) == value
    assert ignored_field_notes(item) == ()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("zip", "6270", "field_malformed"),
        ("state", "ZZ", "field_malformed"),
        ("taxable_periods", "last year", "periods_invalid"),
    ],
)
def test_an_unreadable_statutory_field_still_refuses(
    tmp_path: Path, program: Program, field: str, value: str, code: str
) -> None:
    assert code in _codes(tmp_path, program, **{field: value})
