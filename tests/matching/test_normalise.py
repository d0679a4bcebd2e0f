"""Per-column normalisation in the index build gives what whole-profile normalisation gives."""

from __future__ import annotations

import datetime as dt

import duckdb

from portcullis.matching.normalise import STAGES, stage_distinct_values, staged_rows_sql
from portcullis.matching.profile import build_profile
from portcullis.matching.rows import address_values, identity_values
from portcullis.matching.tables import ADDRESS_FIELDS, IDENTITY_FIELDS

from .households import Row, fill_master

ROWS = [
    Row("100000001", "Lucía", "García López", name_suffix="Jr.", street="5 Elm Avenue Apt 4B"),
    Row("100000002", "José", "de la Cruz", middle_name="María", street="PO Box 55", unit="#2"),
    Row("100000003", "Nguyễn", "Văn An", street="123 North Main Street", unit="Apt 4B"),
    Row("100000004", "Robert", "O'Brien", date_of_birth=None, city="St. Louis", zip="63101-1234"),
]


def test_staged_rows_equal_each_rows_profile(con: duckdb.DuckDBPyConnection) -> None:
    fill_master(con, ROWS)
    for stage in STAGES:
        stage_distinct_values(con, stage)
    names = [f.name for f in (*IDENTITY_FIELDS, *ADDRESS_FIELDS)]
    sql = staged_rows_sql("m.tin, m.date_of_birth AS dob")
    staged = {
        row[0]: row[1:]
        for row in con.execute(f"SELECT tin, {', '.join(names)} FROM ({sql})").fetchall()
    }
    for row in ROWS:
        profile = build_profile(
            first_name=row.first_name,
            middle_name=row.middle_name,
            last_name=row.last_name,
            name_suffix=row.name_suffix,
            date_of_birth=row.date_of_birth,
            tin=None,
            street=row.street,
            unit=row.unit,
            city=row.city,
            state=row.state,
            zip_code=row.zip,
        )
        expected = [
            list(v) if isinstance(v, tuple) else v
            for v in identity_values(profile) + address_values(profile)
        ]
        assert list(staged[row.tin]) == expected


def test_a_missing_value_is_normalised_like_any_other(con: duckdb.DuckDBPyConnection) -> None:
    fill_master(con, [Row("100000009", "Ana", date_of_birth=dt.date(1990, 1, 1), unit=None)])
    unit_stage = next(stage for stage in STAGES if stage.column == "unit")
    stage_distinct_values(con, unit_stage)
    assert con.execute(f"SELECT raw, unit_code FROM {unit_stage.table}").fetchall() == [
        (None, None)
    ]
