"""The normalising SQL's values and errors, pinned field kind by field kind.

The expected values were taken from the statement as it stood before it was made cheaper: any
rewrite of it must give every value and every error code below unchanged.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from portcullis.contract.normalize import FieldSpec, Kind, normalise_select_sql

# (raw text, normalised value, error code when the field is required, the text as an extra column)
PINNED: dict[Kind, tuple[tuple[str | None, object, str | None, str | None], ...]] = {
    "text": (
        ("Ana", "Ana", None, "Ana"),
        ("  Ana  ", "Ana", None, "Ana"),
        (" Ana", "Ana", None, "Ana"),
        ("Ana ", "Ana", None, "Ana"),
        ("Ana  Mar\xeda", "Ana Mar\xeda", None, "Ana Mar\xeda"),
        ("a\tb", "a b", None, "a b"),
        ("a\nb", "a b", None, "a b"),
        ("a\r\nb", "a b", None, "a b"),
        ("a\x0cb", "a b", None, "a b"),
        ("a\x0bb", "a\x0bb", None, "a\x0bb"),
        ("", None, "missing", None),
        ("   ", None, "missing", None),
        (None, None, "missing", None),
        ("\xa0Ana\xa0", "Ana", None, "Ana"),
        ("Ana\u3000Lee", "Ana\u3000Lee", None, "Ana\u3000Lee"),
        ("\u738b \u5c0f\u660e", "\u738b \u5c0f\u660e", None, "\u738b \u5c0f\u660e"),
        (" \t a \t\t b \n ", " a b ", None, " a b "),
        ("\tAna\t", " Ana ", None, " Ana "),
        ("x  ", "x", None, "x"),
        ("O'Brien-Smith", "O'Brien-Smith", None, "O'Brien-Smith"),
        ("e\u0301", "e\u0301", None, "e\u0301"),
        ("\U0001f600 Ana", "\U0001f600 Ana", None, "\U0001f600 Ana"),
        ("\u3000Ana\u3000", "Ana", None, "Ana"),
        ("\u2003Ana\u2003", "Ana", None, "Ana"),
        (" \xa0 ", None, "missing", None),
        ("\xa0\tA", " A", None, " A"),
        ("\u200bAna", "\u200bAna", None, "\u200bAna"),
        ("a\x1f b", "a\x1f b", None, "a\x1f b"),
        ("\x1f", "\x1f", None, "\x1f"),
        ("Ana \xa0 Lee", "Ana \xa0 Lee", None, "Ana \xa0 Lee"),
        ("\u1680x", "x", None, "x"),
        (
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            None,
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ),
    ),
    "tin": (
        ("123456789", "123456789", None, "123456789"),
        ("123-45-6789", "123456789", None, "123-45-6789"),
        ("123 45 6789", "123456789", None, "123 45 6789"),
        (" 123456789 ", "123456789", None, "123456789"),
        ("12345678", None, "malformed_tin", "12345678"),
        ("1234567890", None, "malformed_tin", "1234567890"),
        ("12345678a", None, "malformed_tin", "12345678a"),
        (
            "\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19",
            None,
            "malformed_tin",
            "\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19",
        ),
        ("123--45--6789", "123456789", None, "123--45--6789"),
        ("000000000", "000000000", None, "000000000"),
        ("", None, "missing", None),
        (None, None, "missing", None),
        ("123\t45\t6789", "123456789", None, "123 45 6789"),
        ("-123456789-", "123456789", None, "-123456789-"),
        ("123_45_6789", None, "malformed_tin", "123_45_6789"),
        ("   ", None, "missing", None),
        ("12345\n6789", "123456789", None, "12345 6789"),
        ("+12345678", None, "malformed_tin", "+12345678"),
    ),
    "zip": (
        ("62701", "62701", None, "62701"),
        ("62701-1234", "62701-1234", None, "62701-1234"),
        ("627011234", "62701-1234", None, "627011234"),
        ("6270", None, "malformed_zip", "6270"),
        ("62701-123", None, "malformed_zip", "62701-123"),
        (" 62701 ", "62701", None, "62701"),
        ("62 701", "62701", None, "62 701"),
        ("ABCDE", None, "malformed_zip", "ABCDE"),
        ("", None, "missing", None),
        (None, None, "missing", None),
        ("00000", "00000", None, "00000"),
        ("62701 1234", "62701-1234", None, "62701 1234"),
        ("6270112345", None, "malformed_zip", "6270112345"),
        ("62701--1234", "62701-1234", None, "62701--1234"),
        ("\uff16\uff12\uff17\uff10\uff11", None, "malformed_zip", "\uff16\uff12\uff17\uff10\uff11"),
        ("62701\t1234", "62701-1234", None, "62701 1234"),
    ),
    "date": (
        ("1980-02-29", dt.date(1980, 2, 29), None, "1980-02-29"),
        ("1981-02-29", None, "malformed_date", "1981-02-29"),
        ("1980-13-01", None, "malformed_date", "1980-13-01"),
        ("0000-01-01", None, "malformed_date", "0000-01-01"),
        ("1899-12-31", None, "implausible_date", "1899-12-31"),
        ("1900-01-01", dt.date(1900, 1, 1), None, "1900-01-01"),
        ("2999-01-01", None, "implausible_date", "2999-01-01"),
        ("02/03/1980", None, "malformed_date", "02/03/1980"),
        ("1980-2-3", None, "malformed_date", "1980-2-3"),
        (" 1980-02-03 ", dt.date(1980, 2, 3), None, "1980-02-03"),
        ("", None, "missing", None),
        (None, None, "missing", None),
        ("19800203", None, "malformed_date", "19800203"),
        ("1980-02-03T00:00", None, "malformed_date", "1980-02-03T00:00"),
        ("1980-00-10", None, "malformed_date", "1980-00-10"),
        ("1980-01-32", None, "malformed_date", "1980-01-32"),
        ("0001-01-01", None, "implausible_date", "0001-01-01"),
        ("10000-01-01", None, "malformed_date", "10000-01-01"),
        ("1980 -02-03", None, "malformed_date", "1980 -02-03"),
        ("1980-02-03\n", None, "malformed_date", "1980-02-03 "),
    ),
    "state": (
        ("IL", "IL", None, "IL"),
        ("il", "IL", None, "il"),
        (" Il ", "IL", None, "Il"),
        ("QQ", None, "unknown_state", "QQ"),
        ("PR", "PR", None, "PR"),
        ("AE", "AE", None, "AE"),
        ("ILL", None, "unknown_state", "ILL"),
        ("", None, "missing", None),
        (None, None, "missing", None),
        ("I L", None, "unknown_state", "I L"),
        ("gu", "GU", None, "gu"),
        ("\uff29\uff2c", None, "unknown_state", "\uff29\uff2c"),
        ("DC", "DC", None, "DC"),
        ("XX", None, "unknown_state", "XX"),
        ("\u0130L", None, "unknown_state", "\u0130L"),
    ),
    "year": (
        ("2024", 2024, None, "2024"),
        ("1990", 1990, None, "1990"),
        ("1989", None, "malformed_year", "1989"),
        ("0990", None, "malformed_year", "0990"),
        (" 2024 ", 2024, None, "2024"),
        ("2024.0", None, "malformed_year", "2024.0"),
        ("+2024", None, "malformed_year", "+2024"),
        ("\u0968\u0966\u0968\u0968", None, "malformed_year", "\u0968\u0966\u0968\u0968"),
        ("", None, "missing", None),
        (None, None, "missing", None),
        ("year", None, "malformed_year", "year"),
        ("3000", None, "malformed_year", "3000"),
        ("20 24", None, "malformed_year", "20 24"),
        ("02024", None, "malformed_year", "02024"),
        ("-2024", None, "malformed_year", "-2024"),
        ("1990\t", None, "malformed_year", "1990 "),
    ),
}


def _normalised(
    spec: FieldSpec, values: list[str | None]
) -> list[tuple[object, str | None, str | None]]:
    with duckdb.connect() as con:
        con.execute("CREATE TABLE incoming (v VARCHAR, extra VARCHAR, r BIGINT)")
        con.executemany(
            "INSERT INTO incoming VALUES (?, ?, ?)",
            [(value, value, row) for row, value in enumerate(values)],
        )
        query = normalise_select_sql((spec,), "incoming", "r", ("extra",))
        return [
            (value, error, extra)
            for value, error, extra, _ in con.execute(query + " ORDER BY r").fetchall()
        ]


@pytest.mark.parametrize("kind", list(PINNED), ids=list(PINNED))
def test_required_field_gives_the_pinned_values_and_errors(kind: Kind) -> None:
    cases = PINNED[kind]
    got = _normalised(FieldSpec("v", kind, required=True), [raw for raw, *_ in cases])
    assert got == [(value, error, extra) for _, value, error, extra in cases]


@pytest.mark.parametrize("kind", list(PINNED), ids=list(PINNED))
def test_optional_field_is_never_missing_and_otherwise_pinned(kind: Kind) -> None:
    cases = PINNED[kind]
    got = _normalised(FieldSpec("v", kind), [raw for raw, *_ in cases])
    expected = [
        (value, None if error == "missing" else error, extra) for _, value, error, extra in cases
    ]
    assert got == expected


def test_one_untidy_field_leaves_the_row_s_other_fields_as_pinned() -> None:
    specs = (FieldSpec("a", "text", True), FieldSpec("b", "zip"), FieldSpec("c", "tin"))
    rows = [
        ("Ana", "62701", "123456789"),
        ("Ana  Lee", " 62701 ", "123-45-6789"),
        (" Bo ", "62701\t1234", "\u00a0123456789"),
        ("", "", ""),
    ]
    with duckdb.connect() as con:
        con.execute("CREATE TABLE incoming (a VARCHAR, b VARCHAR, c VARCHAR, r BIGINT)")
        con.executemany(
            "INSERT INTO incoming VALUES (?, ?, ?, ?)",
            [(*row, number) for number, row in enumerate(rows)],
        )
        got = con.execute(normalise_select_sql(specs, "incoming", "r") + " ORDER BY r").fetchall()
    assert got == [
        ("Ana", "62701", "123456789", None, None, None, 0),
        ("Ana Lee", "62701", "123456789", None, None, None, 1),
        ("Bo", "62701-1234", "123456789", None, None, None, 2),
        (None, None, None, "missing", None, None, 3),
    ]
