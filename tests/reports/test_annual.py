"""Tests for the annual report: figures checked against a fixture counted by hand."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from portcullis.reports.annual import (
    AgencyFigures,
    OutcomeUnknownError,
    PurposeCount,
    ReportUnwritableError,
    annual_report,
    render_annual_html,
    write_annual_csv,
)
from portcullis.reports.rows import AccountingRow

RowMaker = Callable[..., AccountingRow]
S1 = "8 U.S.C. 1253(a)(1)"
S2 = "18 U.S.C. 1546"
S3 = "18 U.S.C. 1073"
USMS = {"requesting_agency": "USMS", "program_id": "usms-fugitive", "statute": S3}


def at(month: int, day: int, hour: int = 12, year: int = 2025) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=dt.UTC)


@pytest.fixture
def year_rows(row: RowMaker) -> list[AccountingRow]:
    """Two agencies' decisions around 2025; the expected figures are counted by hand below."""
    return [
        # R1 (ICE): two releases (taxpayers A, B), one refusal, one no match.
        row(request_id="R1", item_id="I1", tin="A", decided_at=at(3, 1)),
        row(request_id="R1", item_id="I2", tin="B", decided_at=at(3, 1)),
        row(request_id="R1", item_id="I3", outcome="refused", tin=None, decided_at=at(3, 1)),
        row(request_id="R1", item_id="I4", outcome="no_match", tin=None, decided_at=at(3, 1)),
        # R2 (ICE): taxpayer A again; I2 held for review then released (given out of order).
        row(request_id="R2", item_id="I1", tin="A", decided_at=at(6, 1)),
        row(
            request_id="R2", item_id="I2", tin="C", statute=S2, decided_at=at(6, 3), ledger_index=9
        ),
        row(
            request_id="R2",
            item_id="I2",
            outcome="pending_review",
            tin=None,
            statute=S2,
            decided_at=at(6, 1),
            ledger_index=5,
        ),
        row(
            request_id="R2",
            item_id="I3",
            outcome="ambiguous",
            tin=None,
            statute=S2,
            decided_at=at(6, 1),
        ),
        # R3 (ICE): refused at 02:00 UTC on 1 January 2025, still 2024 in Washington.
        row(
            request_id="R3", item_id="I1", outcome="refused", tin=None, decided_at=at(1, 1, hour=2)
        ),
        # R5 (ICE): pending at the end of 2025, released in 2026.
        row(
            request_id="R5", item_id="I1", outcome="pending_review", tin=None, decided_at=at(12, 30)
        ),
        row(request_id="R5", item_id="I1", tin="D", decided_at=at(1, 2, year=2026)),
        # R0 (ICE): entirely in 2024.
        row(request_id="R0", item_id="I1", tin="E", decided_at=at(7, 1, year=2024)),
        # R4 (USMS): taxpayer A, already released to ICE, and one refusal.
        row(request_id="R4", item_id="I1", tin="A", decided_at=at(9, 9), **USMS),
        row(
            request_id="R4", item_id="I2", outcome="refused", tin=None, decided_at=at(9, 9), **USMS
        ),
    ]


ICE_2025 = AgencyFigures(
    requesting_agency="ICE",
    program_id="ice-address-verification",
    requests=4,  # R1, R2, R3, R5
    items=9,  # R1: 4, R2: 3, R3: 1, R5: 1
    releases=4,  # R1 I1, R1 I2, R2 I1, R2 I2
    refusals=2,  # R1 I3, R3 I1
    no_match=1,
    ambiguous=1,
    pending_review=1,  # R5 I1, still pending at year end
    taxpayers_affected=3,  # A, B, C
    purposes=(PurposeCount(S2, 2, 1), PurposeCount(S1, 7, 3)),
)
USMS_2025 = AgencyFigures(
    requesting_agency="USMS",
    program_id="usms-fugitive",
    requests=1,
    items=2,
    releases=1,
    refusals=1,
    no_match=0,
    ambiguous=0,
    pending_review=0,
    taxpayers_affected=1,
    purposes=(PurposeCount(S3, 2, 1),),
)
TOTAL_2025 = AgencyFigures(
    requesting_agency="All",
    program_id="All",
    requests=5,
    items=11,
    releases=5,
    refusals=3,
    no_match=1,
    ambiguous=1,
    pending_review=1,
    taxpayers_affected=3,  # A is counted once although both agencies received it
    purposes=(PurposeCount(S3, 2, 1), PurposeCount(S2, 2, 1), PurposeCount(S1, 7, 3)),
)


def test_figures_match_the_hand_count(year_rows: list[AccountingRow]) -> None:
    report = annual_report(year_rows, 2025)
    assert report.year == 2025
    assert report.agencies == (ICE_2025, USMS_2025)
    assert report.total == TOTAL_2025


def test_the_year_follows_the_time_zone_asked_for(year_rows: list[AccountingRow]) -> None:
    report = annual_report(year_rows, 2025, zone=ZoneInfo("America/New_York"))
    ice = report.agencies[0]
    assert (ice.requests, ice.items, ice.refusals) == (3, 8, 1)


def test_the_following_year_sees_the_settled_item(year_rows: list[AccountingRow]) -> None:
    report = annual_report(year_rows, 2026)
    assert report.total.releases == 1
    assert report.total.pending_review == 0
    assert report.total.taxpayers_affected == 1


def test_an_empty_year_has_zero_totals(year_rows: list[AccountingRow]) -> None:
    report = annual_report(year_rows, 2030)
    assert report.agencies == ()
    assert (report.total.requests, report.total.items, report.total.purposes) == (0, 0, ())


def test_an_unknown_outcome_is_a_named_error(row: RowMaker) -> None:
    with pytest.raises(OutcomeUnknownError):
        annual_report([row(outcome="released")], 2025)


def test_csv_has_one_row_per_agency_then_the_totals(
    year_rows: list[AccountingRow], tmp_path: Path
) -> None:
    path = tmp_path / "annual.csv"
    write_annual_csv(annual_report(year_rows, 2025), path)
    with path.open(encoding="utf-8", newline="") as handle:
        written = list(csv.DictReader(handle))
    assert [(r["requesting_agency"], r["program_id"]) for r in written] == [
        ("ICE", "ice-address-verification"),
        ("USMS", "usms-fugitive"),
        ("All", "All"),
    ]
    assert written[0] == {
        "year": "2025",
        "requesting_agency": "ICE",
        "program_id": "ice-address-verification",
        "requests": "4",
        "items": "9",
        "releases": "4",
        "refusals": "2",
        "no_match": "1",
        "ambiguous": "1",
        "pending_review": "1",
        "taxpayers_affected": "3",
        "purposes": f"{S2}=2/1;{S1}=7/3",
    }
    assert written[2]["taxpayers_affected"] == "3"


def test_csv_to_an_unwritable_place_is_a_named_error(tmp_path: Path) -> None:
    report = annual_report([], 2025)
    with pytest.raises(ReportUnwritableError):
        write_annual_csv(report, tmp_path / "missing" / "annual.csv")


def test_html_has_language_charts_and_table_alternatives(year_rows: list[AccountingRow]) -> None:
    page = render_annual_html(annual_report(year_rows, 2025))
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in page
    assert page.count("<svg") == 2
    assert page.count("<title id=") == 2 and page.count("<desc id=") == 2
    assert "<caption>Requests, items and outcomes per requesting agency and program, 2025" in page
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")


def test_html_escapes_what_came_from_requests(row: RowMaker) -> None:
    hostile = row(requesting_agency="<script>alert(1)</script>", statute="<b>18 U.S.C. 1</b>")
    page = render_annual_html(annual_report([hostile], 2025))
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;" in page
