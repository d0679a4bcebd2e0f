"""Every USPS code is one definition, accepted alike by the loader, the reader and the checks."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from portcullis.checks import address
from portcullis.contract import normalize, usps
from portcullis.contract.columns import MASTER_COLUMNS
from portcullis.contract.request_file import read_request_file
from portcullis.master.loader import load_master
from tests.contract.test_request_file import GOOD, write_csv

CODES = sorted(usps.USPS_STATES)
# Military mail takes its own city, street form and ZIP range (Publication 28, section 225).
MILITARY = {
    "AA": {"street": "PSC 1234 Box 5678", "city": "APO", "zip": "34002"},
    "AE": {"street": "Unit 2050 Box 4190", "city": "APO", "zip": "09012"},
    "AP": {"street": "CMR 450 Box 123", "city": "FPO", "zip": "96278"},
}


def test_the_reader_and_the_checks_use_the_one_definition() -> None:
    assert normalize.USPS_STATES is usps.USPS_STATES
    assert address.USPS_STATES is usps.USPS_STATES


@pytest.mark.parametrize("code", ["FM", "MH", "PW", "AA", "AE", "AP", "GU", "VI", "AS", "MP", "UM"])
def test_the_freely_associated_states_and_military_codes_are_usps_codes(code: str) -> None:
    assert code in usps.USPS_STATES


def test_the_request_reader_and_the_address_check_accept_every_code(tmp_path: Path) -> None:
    rows = [
        {**GOOD, "item_id": f"A-{code}", "state": code.lower(), **MILITARY.get(code, {})}
        for code in CODES
    ]
    items = read_request_file(write_csv(tmp_path / "r.csv", rows)).items
    assert [item.state for item in items] == CODES
    assert [item.field_errors for item in items] == [()] * len(CODES)
    for item in items:
        assert [f.code for f in address.address_findings(item)] == [], item.state


def test_the_master_loader_keeps_a_row_in_every_code(tmp_path: Path) -> None:
    lines = [",".join(MASTER_COLUMNS)] + [
        f"{100000000 + n},Ana,,Reyes,,1980-01-02,12 Main St,,Town,{code},96941,2024"
        for n, code in enumerate(CODES)
    ]
    path = tmp_path / "m.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with duckdb.connect() as con:
        report = load_master(con, [path])
        stored = con.execute("SELECT state FROM master_address ORDER BY state").fetchall()
    assert (report.rows_loaded, report.rows_rejected) == (len(CODES), 0)
    assert [row[0] for row in stored] == CODES
