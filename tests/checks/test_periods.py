from __future__ import annotations

import datetime as dt

import pytest

from portcullis.checks.periods import TaxablePeriodsInvalid, period_findings, tax_years
from portcullis.programs import Program

from .conftest import ItemFactory


@pytest.mark.parametrize(
    ("text", "years"),
    [
        pytest.param("2022-2024", {2022, 2023, 2024}, id="range"),
        pytest.param("2023,2024", {2023, 2024}, id="list"),
        pytest.param("2020; 2022 - 2023", {2020, 2022, 2023}, id="mixed"),
        pytest.param("2024", {2024}, id="single"),
        pytest.param("2024,2024", {2024}, id="repeated"),
    ],
)
def test_tax_years(text: str, years: set[int], make_item: ItemFactory) -> None:
    assert tax_years(make_item(taxable_periods=text)) == frozenset(years)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("2024-2022", id="backwards"),
        pytest.param("FY24", id="not-a-year"),
        pytest.param("2022,", id="trailing-comma"),
        pytest.param("1900-2100", id="huge-range"),
        pytest.param(" ", id="blank"),
    ],
)
def test_malformed_periods_are_refused(text: str, make_item: ItemFactory) -> None:
    with pytest.raises(TaxablePeriodsInvalid):
        tax_years(make_item(taxable_periods=text))


def test_the_current_year_is_the_latest(make_item: ItemFactory, program: Program) -> None:
    item = make_item(taxable_periods="2026")
    assert period_findings(item, program, today=dt.date(2026, 1, 1)) == ()
    assert period_findings(item, program, today=dt.date(2025, 12, 31)) != ()
