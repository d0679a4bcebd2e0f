"""Tax-year parsing and labelled-pair files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from portcullis.errors import FileUnreadable
from portcullis.matching.labels import parse_tax_years, read_labelled


@pytest.mark.parametrize(
    ("text", "years"),
    [
        pytest.param("2022-2024", {2022, 2023, 2024}, id="range"),
        pytest.param("2023,2024", {2023, 2024}, id="list"),
        pytest.param("2019, 2021-2022", {2019, 2021, 2022}, id="mixed"),
        pytest.param("", set(), id="blank"),
    ],
)
def test_parse_tax_years(text: str, years: set[int]) -> None:
    assert parse_tax_years(text) == frozenset(years)


def test_read_labelled_skips_rows_without_truth(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text(
        "item_id,first_name,last_name,date_of_birth,street,city,state,zip,taxable_periods,true_tin\n"
        "a,Ana,Ruiz,1980-01-02,1 Main St,Austin,TX,78701,2023,123456789\n"
        "b,Leo,Ruiz,,1 Main St,Austin,TX,78701,2023,\n",
        encoding="utf-8",
    )
    pairs = read_labelled(path)
    assert len(pairs) == 1
    query, tin = pairs[0]
    assert (query.key, query.date_of_birth, query.tax_years, tin) == (
        "a",
        dt.date(1980, 1, 2),
        frozenset({2023}),
        "123456789",
    )


def test_bad_date_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text(
        "first_name,date_of_birth,true_tin\nAna,02/01/1980,123456789\n", encoding="utf-8"
    )
    with pytest.raises(FileUnreadable, match="row 1"):
        read_labelled(path)
