"""SQL that normalises contract fields and names the ones that cannot be normalised.

Pure functions that build DuckDB SQL: the master loader and the request reader both run them, so a
TIN, ZIP, date or state is read the same way on every road into the gateway.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from portcullis.contract.dates import FIRST_BIRTH_YEAR, parsed_date_sql, plausible_date_sql
from portcullis.contract.usps import USPS_STATES

Kind = Literal["text", "tin", "zip", "date", "state", "year"]

FIRST_TAX_YEAR = 1990


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """How one column is normalised, and whether a row without it is rejected."""

    name: str
    kind: Kind = "text"
    required: bool = False


# Error codes and the plain words an operator sees for them.
ERROR_MESSAGES: dict[str, str] = {
    "missing": "required value is empty",
    "malformed_tin": "TIN must be 9 digits (dashes and spaces allowed)",
    "malformed_zip": "ZIP must be 5 digits or ZIP+4",
    "malformed_date": "date must be a real date written YYYY-MM-DD",
    "implausible_date": f"date is before {FIRST_BIRTH_YEAR} or in the future",
    "unknown_state": "state must be a two-letter USPS code",
    "malformed_year": "tax year must be a whole year from 1990 to next year",
    "placeholder": "value is a placeholder (such as N/A, NMN or 000000000), read as not given",
}


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# What the collapsing expression below would change: two spaces together, or any whitespace
# character other than the space (RE2's \s is the class of tab, newline, form feed, return, space).
_NEEDS_COLLAPSE = ("  ", "\t", "\n", "\f", "\r")
# Joins a row's fields for `row_untidy_sql`: a field that holds it only makes the row untidy.
_SEPARATOR = "\x1f"


def clean_text_sql(column: str) -> str:
    """SQL for a column's text, trimmed, inner whitespace collapsed, NULL when empty.

    The regular expression runs only on a value that holds something it would change: for every
    other value trimming alone gives the same text, at a fraction of the cost.
    """
    name = _quoted(column)
    trimmed = f"trim(coalesce({name}, ''))"
    needs = " OR ".join(
        f"contains({name}, chr({ord(char)}))" if len(char) == 1 else f"contains({name}, '{char}')"
        for char in _NEEDS_COLLAPSE
    )
    collapsed = f"regexp_replace({trimmed}, '\\s+', ' ', 'g')"
    return f"nullif(CASE WHEN {needs} THEN {collapsed} ELSE {trimmed} END, '')"


def row_untidy_sql(columns: tuple[str, ...]) -> str:
    """SQL that is false only when `clean_text_sql` leaves each of `columns` as it is, or NULL.

    One test over the row's fields joined by a unit separator: none holds what collapsing would
    change, none starts or ends with a space (trim removes the space separators of Unicode, all
    of them outside ASCII), and the row is ASCII. A tidy row's fields need only `nullif`.
    """
    separator = f"chr({ord(_SEPARATOR)})"
    joined = (
        f"concat({separator}, concat_ws({separator}, {', '.join(map(_quoted, columns))}), "
        f"{separator})"
    )
    needs = [
        f"contains({joined}, chr({ord(char)}))"
        if len(char) == 1
        else f"contains({joined}, '{char}')"
        for char in _NEEDS_COLLAPSE
    ]
    needs += [
        f"contains({joined}, {separator} || ' ')",
        f"contains({joined}, ' ' || {separator})",
        f"strlen({joined}) <> length({joined})",
    ]
    return " OR ".join(needs)


def value_sql(spec: FieldSpec, text: str | None = None) -> str:
    """SQL for the normalised value of one field (NULL when empty or malformed).

    `text` is SQL for the field's cleaned text; by default it is cleaned here from the column.
    """
    text = text or clean_text_sql(spec.name)
    if spec.kind == "tin":
        # Nine digits as written is the common case: the text is its own digits then.
        digits = f"regexp_replace({text}, '[\\s-]', '', 'g')"
        return (
            f"CASE WHEN regexp_full_match({text}, '[0-9]{{9}}') THEN {text} "
            f"WHEN regexp_full_match({digits}, '[0-9]{{9}}') THEN {digits} END"
        )
    if spec.kind == "zip":
        digits = f"regexp_replace({text}, '[\\s-]', '', 'g')"
        return (
            f"CASE WHEN regexp_full_match({text}, '[0-9]{{5}}') THEN {text} "
            f"WHEN regexp_full_match({digits}, '[0-9]{{5}}') THEN {digits} "
            f"WHEN regexp_full_match({digits}, '[0-9]{{9}}') "
            f"THEN substr({digits}, 1, 5) || '-' || substr({digits}, 6, 4) END"
        )
    if spec.kind == "date":
        return plausible_date_sql(text)
    if spec.kind == "state":
        codes = ", ".join(f"'{code}'" for code in sorted(USPS_STATES))
        return f"CASE WHEN upper({text}) IN ({codes}) THEN upper({text}) END"
    if spec.kind == "year":
        year = f"try_cast({text} AS INTEGER)"
        return (
            f"CASE WHEN regexp_full_match({text}, '[0-9]{{4}}') AND {year} BETWEEN "
            f"{FIRST_TAX_YEAR} AND year(current_date) + 1 THEN {year} END"
        )
    return text


def error_sql(spec: FieldSpec, text: str | None = None, value: str | None = None) -> str:
    """SQL for the error code of one field, NULL when the value is acceptable.

    `text` and `value` are SQL for the field's cleaned text and normalised value; by default
    both are computed here from the column.
    """
    text = text or clean_text_sql(spec.name)
    value = value or value_sql(spec, text)
    missing = "'missing'" if spec.required else "NULL"
    malformed = {
        "tin": "'malformed_tin'",
        "zip": "'malformed_zip'",
        "state": "'unknown_state'",
        "year": "'malformed_year'",
    }
    if spec.kind == "date":
        parsed = parsed_date_sql(text)
        bad = f"CASE WHEN {parsed} IS NULL THEN 'malformed_date' ELSE 'implausible_date' END"
    elif spec.kind in malformed:
        bad = malformed[spec.kind]
    else:
        return f"CASE WHEN {text} IS NULL THEN {missing} END"
    return f"CASE WHEN {text} IS NULL THEN {missing} WHEN ({value}) IS NULL THEN {bad} END"


def normalise_select_sql(
    specs: tuple[FieldSpec, ...], source: str, row_column: str, extra: tuple[str, ...] = ()
) -> str:
    """A SELECT over `source` with each field's value, its error code (err_<name>) and the row.

    Columns in `extra` come along as cleaned text: unknown columns are evidence, never errors.
    Each field is cleaned once and its value computed once, in nested SELECTs that the later
    steps read by name: the statement stays small, which is most of its cost on a few rows. A
    row that `row_untidy_sql` finds tidy skips the cleaning, which is most of its cost on many.
    """
    names = [spec.name for spec in specs] + list(extra) + [row_column]
    prefix = _free_prefix("value_", names)
    untidy = _quoted(_free_prefix("untidy_", names))
    texts = (*(spec.name for spec in specs), *extra)
    cleaned = [
        f"CASE WHEN {untidy} THEN {clean_text_sql(name)} ELSE nullif({_quoted(name)}, '') END"
        f" AS {_quoted(name)}"
        for name in texts
    ]
    cleaned.append(_quoted(row_column))
    valued = [
        f"{value_sql(spec, _quoted(spec.name))} AS {_quoted(prefix + spec.name)}" for spec in specs
    ]
    parts = [f"{_quoted(prefix + spec.name)} AS {_quoted(spec.name)}" for spec in specs]
    parts += [
        f"{error_sql(spec, _quoted(spec.name), _quoted(prefix + spec.name))}"
        f" AS {_quoted('err_' + spec.name)}"
        for spec in specs
    ]
    parts += [_quoted(name) for name in extra]
    parts.append(_quoted(row_column))
    return (
        f"SELECT {', '.join(parts)} FROM (SELECT *, {', '.join(valued)} FROM "
        f"(SELECT {', '.join(cleaned)} FROM "
        f"(SELECT *, {row_untidy_sql(texts)} AS {untidy} FROM {source})))"
    )


def _free_prefix(prefix: str, names: list[str]) -> str:
    """The shortest underscores-then-`prefix` that begins no name in `names`."""
    while any(name.startswith(prefix) for name in names):
        prefix = "_" + prefix
    return prefix
