"""Name every field of a normalised master file that cannot be taken, by row and field.

Three sources, each the one definition the request reader applies too: the normalising SQL
(`contract/normalize.py`), the field limit (`contract/tabular.py`) and the placeholder tests of
the optional fields (`contract/placeholders.py`). A placeholder is read as "not given": its
field is emptied here, and the row is kept unless something else rejects it.
"""

from __future__ import annotations

import duckdb

from portcullis.contract.columns import MASTER_COLUMNS, MASTER_REQUIRED
from portcullis.contract.normalize import ERROR_MESSAGES
from portcullis.contract.placeholders import PLACEHOLDER_TESTS
from portcullis.contract.records import FieldError
from portcullis.contract.tabular import FIELD_LIMIT, ROW_COLUMN, WHOLE_ROW, too_long_message
from portcullis.master.staging import numbered_sql

NORMALISED = "master_incoming_norm"
# Names of a row's fields over the field limit, comma-separated (NULL when none is).
TOO_LONG = "master_too_long"
ERRORS = "master_errors"  # row_number, field, code, message of every unreadable field
REJECTED = "master_rejected"  # the ordinal (k-th row of NORMALISED, from 1) of each rejected row
WORK_TABLES = ("master_ordinal_errors", "master_placeholders", ERRORS, REJECTED)
# A row is rejected for an error in one of these "fields" (a required column, or the row itself).
REJECTING = frozenset({*MASTER_REQUIRED, WHOLE_ROW})
# The optional fields of the master that a placeholder can stand in.
_PLACEHOLDER_FIELDS = tuple(
    name for name in PLACEHOLDER_TESTS if name in MASTER_COLUMNS and name not in MASTER_REQUIRED
)


def too_long_sql(columns: tuple[str, ...]) -> str:
    """SQL naming the fields of a staged row longer than the field limit, in column order."""
    # strlen counts bytes and costs nothing; a field within the limit in bytes is within it.
    checks = ", ".join(
        f'CASE WHEN strlen("{name}") > {FIELD_LIMIT} AND length("{name}") > {FIELD_LIMIT} '
        f"THEN '{name}' END"
        for name in columns
    )
    return f"nullif(concat_ws(',', {checks}), '')"


def ordinal_sql(con: duckdb.DuckDBPyConnection) -> str:
    """SQL for a row's ordinal in NORMALISED (its k-th row, from 1, in file order)."""
    first = con.execute(f"SELECT coalesce(min(rowid), 0) FROM {NORMALISED}").fetchone()
    return f"(rowid - {int(first[0]) if first else 0} + 1)"


def list_errors(
    con: duckdb.DuckDBPyConnection, garbled: list[FieldError], ordinal: str
) -> tuple[int, int]:
    """Fill ERRORS and REJECTED; return the rows rejected and the rows kept without a field."""
    errors = "master_ordinal_errors"
    any_error = " OR ".join(f'"err_{name}" IS NOT NULL' for name in MASTER_COLUMNS)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {errors} AS
        SELECT ordinal, substr(field, 5) AS field, code, NULL::VARCHAR AS message
        FROM (UNPIVOT (SELECT {ordinal} AS ordinal, COLUMNS('^err_') FROM {NORMALISED}
                       WHERE {any_error})
              ON COLUMNS('^err_') INTO NAME field VALUE code)
        """
    )
    long = con.execute(
        f"SELECT {ordinal}, {TOO_LONG} FROM {NORMALISED} WHERE {TOO_LONG} IS NOT NULL"
    ).fetchall()
    _insert(
        con,
        f"INSERT INTO {errors} VALUES (?, ?, 'unreadable_row', ?)",
        [(k, WHOLE_ROW, too_long_message(str(names).split(","))) for k, names in long],
    )
    _placeholders(con, errors, ordinal)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {REJECTED} AS SELECT DISTINCT ordinal FROM {errors} "
        f"WHERE field IN ({', '.join(repr(name) for name in sorted(REJECTING))})"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {ERRORS} AS SELECT {ROW_COLUMN} AS row_number, field, "
        f"code, message FROM ({numbered_sql(errors, garbled)})"
    )
    _insert(
        con,
        f"INSERT INTO {ERRORS} VALUES (?, ?, ?, ?)",
        [(e.row, e.field, e.code, e.message) for e in garbled],
    )
    counts = con.execute(
        f"""
        SELECT (SELECT count(*) FROM {REJECTED}),
               (SELECT count(DISTINCT ordinal) FROM {errors}
                WHERE ordinal NOT IN (SELECT ordinal FROM {REJECTED}))
        """
    ).fetchone()
    assert counts is not None
    return int(counts[0]) + len(garbled), int(counts[1])


def _insert(con: duckdb.DuckDBPyConnection, statement: str, rows: list[tuple[object, ...]]) -> None:
    if rows:
        con.executemany(statement, rows)


def _placeholders(con: duckdb.DuckDBPyConnection, errors: str, ordinal: str) -> None:
    """Name each optional field holding a placeholder, then empty it: it means "not given"."""
    found: list[tuple[str, str, str]] = []
    for name in _PLACEHOLDER_FIELDS:
        values = con.execute(
            f'SELECT DISTINCT "{name}" FROM {NORMALISED} WHERE "{name}" IS NOT NULL'
        ).fetchall()
        test = PLACEHOLDER_TESTS[name]
        found += [
            (name, value, f"{ERROR_MESSAGES['placeholder']} ({value!r})")
            for (value,) in values
            if test(value)
        ]
    if not found:
        return
    con.execute(
        "CREATE OR REPLACE TEMP TABLE master_placeholders "
        "(field VARCHAR, value VARCHAR, message VARCHAR)"
    )
    con.executemany("INSERT INTO master_placeholders VALUES (?, ?, ?)", found)
    for name in sorted({field for field, _, _ in found}):
        held = f"(SELECT value FROM master_placeholders WHERE field = '{name}')"
        con.execute(
            f"""
            INSERT INTO {errors}
            SELECT n.ordinal, '{name}', 'placeholder', p.message
            FROM (SELECT {ordinal} AS ordinal, "{name}" AS value FROM {NORMALISED}
                  WHERE "{name}" IN {held}) n
            JOIN master_placeholders p ON p.field = '{name}' AND n.value = p.value
            """
        )
        con.execute(f'UPDATE {NORMALISED} SET "{name}" = NULL WHERE "{name}" IN {held}')
