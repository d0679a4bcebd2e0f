"""The dashboard's figures: years, refusals by reason, per-day counts and drawn charts."""

from __future__ import annotations

import datetime as dt

from portcullis.reports.rows import AccountingRow
from portcullis.web.oversight import oversight, per_day, refusals_by_reason, years_of


def row(outcome: str, when: str, *codes: str, tin: str | None = None) -> AccountingRow:
    return AccountingRow(
        request_id="REQ-1",
        item_id=f"I-{when}-{outcome}-{tin}",
        outcome=outcome,
        reason_codes=codes,
        tin=tin,
        street=None,
        unit=None,
        city=None,
        state=None,
        zip=None,
        address_tax_year=None,
        match_score=None,
        decided_at=dt.datetime.fromisoformat(when).replace(tzinfo=dt.UTC),
        decided_by="portcullis",
        ledger_index=None,
        requesting_agency="ICE",
        program_id="ice-address-verification",
        statute="8 U.S.C. 1253(a)(1)",
    )


ROWS = [
    row("disclosed", "2026-03-01T10:00", tin="1"),
    row("disclosed", "2026-03-01T11:00", tin="2"),
    row("refused", "2026-03-01T12:00", "address_incomplete", "address_placeholder"),
    row("refused", "2026-03-02T09:00", "address_incomplete"),
    row("no_match", "2026-03-02T09:30"),
    row("refused", "2025-12-31T23:00", "statute_not_allowed"),
]


def test_years_are_listed_newest_first() -> None:
    assert years_of(ROWS) == (2026, 2025)


def test_refusals_are_counted_per_reason_within_the_year() -> None:
    assert refusals_by_reason(ROWS, 2026) == (
        ("address_incomplete", 2),
        ("address_placeholder", 1),
    )


def test_each_day_counts_decisions_and_releases() -> None:
    assert per_day(ROWS, 2026) == [("2026-03-01", 3, 2), ("2026-03-02", 2, 0)]


def test_the_year_draws_six_titled_charts() -> None:
    figures = oversight(ROWS, 2026)
    assert figures.report.total.releases == 2
    assert [title for title, _ in figures.charts] == [
        "Items by outcome, 2026",
        "Refusals by reason, 2026",
        "Releases per agency and program, 2026",
        "Taxpayers affected per agency and program, 2026",
        "Items decided per day, 2026",
        "Addresses released per day, 2026",
    ]
    assert all("<title id=" in str(chart) for _, chart in figures.charts)
