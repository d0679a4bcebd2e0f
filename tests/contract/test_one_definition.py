"""One rule, one definition: no module but its own holds a state-code list, a placeholder list
or a date form, and every road into the gateway reads a date as the one definition does."""

from __future__ import annotations

import ast
import datetime as dt
import re
from functools import cache
from pathlib import Path

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

import portcullis
from portcullis.contract import dates, placeholders, usps
from portcullis.contract.normalize import FieldSpec, error_sql, value_sql

SOURCE = Path(portcullis.__file__).resolve().parent
# The generators of synthetic data write examples of defects; they judge nothing.
EXEMPT = ("synth/",)
PLACEHOLDER_WORDS = frozenset({"UNKNOWN", "N/A", "NONE", "NULL", "TBD", "UNK", "NA", "XXX"})


def _modules(owner: Path) -> list[Path]:
    return [
        path
        for path in sorted(SOURCE.rglob("*.py"))
        if path != owner and not str(path.relative_to(SOURCE)).startswith(EXEMPT)
    ]


def _string_collections(path: Path) -> list[tuple[int, set[str]]]:
    found: list[tuple[int, set[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        elements: list[ast.expr | None] = []
        if isinstance(node, ast.Set | ast.List | ast.Tuple):
            elements = list(node.elts)
        elif isinstance(node, ast.Dict):
            elements = list(node.keys)
        texts = {
            e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)
        }
        if texts:
            found.append((node.lineno, texts))
    return found


def test_no_other_module_lists_state_codes() -> None:
    owner = Path(usps.__file__).resolve()
    offenders = [
        f"{path.relative_to(SOURCE)}:{line}"
        for path in _modules(owner)
        for line, texts in _string_collections(path)
        if len(texts & usps.USPS_STATES) >= 3
    ]
    assert offenders == [], "USPS codes belong to portcullis.contract.usps only"


def test_no_other_module_lists_placeholder_words() -> None:
    owner = Path(placeholders.__file__).resolve()
    offenders = [
        f"{path.relative_to(SOURCE)}:{line}"
        for path in _modules(owner)
        for line, texts in _string_collections(path)
        if len({text.upper() for text in texts} & PLACEHOLDER_WORDS) >= 2
    ]
    assert offenders == [], "placeholder words belong to portcullis.contract.placeholders only"


def test_no_other_module_writes_a_date_form() -> None:
    owner = Path(dates.__file__).resolve()
    # The forms a reader accepts; a date written out for a key or a file name is not one.
    form = re.compile(r"(\[0-9\]|\\d)\{4\}-|%Y-%m-%d|strptime")
    offenders = [
        str(path.relative_to(SOURCE))
        for path in _modules(owner)
        if form.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "the accepted date form belongs to portcullis.contract.dates only"


_DATE_LIKE = st.one_of(
    st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2100, 12, 31)).map(str),
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"),
    st.from_regex(r"\A[0-9|/.-]{6,11}\Z"),
    st.sampled_from(
        ["1971-20-08", "1989-10-|2", "1980-02-30", "02/03/1980", "1980-2-3", "0000-01-01"]
    ),
)


@cache
def _duckdb() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


@settings(max_examples=300, deadline=None)
@given(text=_DATE_LIKE)
def test_the_sql_readers_and_the_python_reader_agree_on_every_date(text: str) -> None:
    spec = FieldSpec("d", "date")
    con = _duckdb()
    row = con.execute(
        f"SELECT {value_sql(spec)}, {error_sql(spec)}, current_date FROM (SELECT ?::VARCHAR AS d)",
        [text],
    ).fetchone()
    assert row is not None
    value, error, today = row
    assert value == dates.read_date(text, today=today)
    assert error == dates.date_error(text, today=today)
