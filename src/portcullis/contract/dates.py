"""The date form the contract accepts (YYYY-MM-DD) and the dates of birth that are plausible.

One definition for every road: the master loader and the request reader read dates with the SQL
built here, and a date typed at the command line is read with `read_date` from the same rules.
"""

from __future__ import annotations

import datetime as dt
import re

# CONTRACT.md section 1: "ISO date (YYYY-MM-DD)". No other form is read, so 02/03/1980 is never
# taken for February or March.
DATE_FORM = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
# The same form for strptime and the command line's date options.
DATE_FORMAT = "%Y-%m-%d"
FIRST_BIRTH_YEAR = 1900
# Year 0000 is no year of the calendar (DuckDB would read it as 1 BC, Python not at all).
_NO_YEAR = "0000"

_DATE_FORM = re.compile(DATE_FORM)


def read_date(text: str, *, today: dt.date | None = None) -> dt.date | None:
    """Return the date `text` names in the contract's form, or None if not a plausible one."""
    if not _DATE_FORM.fullmatch(text) or text.startswith(_NO_YEAR):
        return None
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        return None
    latest = today or dt.datetime.now(dt.UTC).date()
    return value if dt.date(FIRST_BIRTH_YEAR, 1, 1) <= value <= latest else None


def date_error(text: str, *, today: dt.date | None = None) -> str | None:
    """Return why `text` is no plausible date (malformed_date, implausible_date), or None."""
    if not _DATE_FORM.fullmatch(text) or text.startswith(_NO_YEAR):
        return "malformed_date"
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return "malformed_date"
    return None if read_date(text, today=today) else "implausible_date"


def parsed_date_sql(text: str) -> str:
    """SQL for the date the SQL text expression names in the contract's form, else NULL."""
    return (
        f"CASE WHEN regexp_full_match({text}, '{DATE_FORM}') "
        f"AND NOT starts_with({text}, '{_NO_YEAR}') THEN try_cast({text} AS DATE) END"
    )


def plausible_date_sql(text: str) -> str:
    """SQL for the date the SQL text expression names, NULL unless it is a plausible one."""
    parsed = parsed_date_sql(text)
    return (
        f"CASE WHEN {parsed} BETWEEN DATE '{FIRST_BIRTH_YEAR}-01-01' AND current_date "
        f"THEN {parsed} END"
    )
