"""The dashboard's figures in SQL: periods, CSV cells made safe, and the drawn charts."""

from __future__ import annotations

import datetime as dt

import pytest

from portcullis.contract.spreadsheet import neutralise
from portcullis.gateway import Gateway
from portcullis.web.figures_csv import figures_csv
from portcullis.web.glance import glance, period_of
from portcullis.web.oversight import charts


@pytest.mark.parametrize(
    ("day", "period", "name"),
    [
        pytest.param(dt.date(2026, 12, 7), "week", "2026-W50", id="week"),
        pytest.param(dt.date(2027, 1, 1), "week", "2026-W53", id="iso-week-across-new-year"),
        pytest.param(dt.date(2026, 12, 7), "month", "2026-12", id="month"),
    ],
)
def test_a_day_falls_in_its_iso_week_or_month(day: dt.date, period: str, name: str) -> None:
    assert period_of(day, period) == name  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        pytest.param('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")', id="equals"),
        pytest.param("+1+1", "'+1+1", id="plus"),
        pytest.param("-2+3", "'-2+3", id="minus"),
        pytest.param("@SUM(A1)", "'@SUM(A1)", id="at"),
        pytest.param("\tcmd", "'\tcmd", id="tab"),
        pytest.param("ICE", "ICE", id="plain-text"),
        pytest.param(-3, -3, id="number-untouched"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_neutralised(cell: object, safe: object) -> None:
    assert neutralise(cell) == safe


def test_an_agency_named_like_a_formula_downloads_as_text(site: Gateway) -> None:
    figures = glance(site.engine, dt.datetime.now(dt.UTC).year, "month", ledger_size=0)
    row = figures.rows[0]
    row.requesting_agency = "=cmd|' /C calc'!A0"
    text = figures_csv(figures, "periods")
    assert "\n" + row.period + ",'=cmd|' /C calc'!A0," in text


def test_the_year_draws_five_titled_charts(site: Gateway) -> None:
    year = dt.datetime.now(dt.UTC).year
    drawn = charts(glance(site.engine, year, "week", ledger_size=site.ledger.size()))
    assert [title for title, _ in drawn] == [
        f"Items by outcome, {year}",
        f"Refusals by reason, {year}",
        f"Releases per agency and program, {year}",
        f"Items decided per week, {year}",
        f"Addresses released per week, {year}",
    ]
    assert all("<title id=" in str(chart) for _, chart in drawn)
