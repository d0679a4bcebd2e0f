"""Read a whole master file into a DuckDB table of text columns with exact row numbers.

The engine parses CSV, Parquet and JSON Lines itself (no row passes through Python). A row the
format garbles (wrong number of fields, bytes that are not UTF-8, a line that is no JSON object)
is named by its row and kept out of the staged table; a file the reader cannot resynchronise past
(an unterminated quote, a line beyond the size limit) is refused whole.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from portcullis.contract.records import FieldError
from portcullis.contract.tabular import ROW_COLUMN, WHOLE_ROW, detect_format, read_header
from portcullis.errors import FileUnreadable

STAGED = "master_staged"
_RAW = "master_raw"
_CSV_REJECTS = "master_csv_rejects"
_CSV_SCANS = "master_csv_scans"
# The same limit the contract's CSV reader has always had for one field.
MAX_LINE_BYTES = csv.field_size_limit()
# Reader errors that garble one row only; any other stops the file.
_ROW_ERRORS: dict[str, str] = {
    "MISSING COLUMNS": "wrong number of fields",
    "TOO MANY COLUMNS": "wrong number of fields",
    "INVALID ENCODING": "not valid UTF-8 text",
    "INVALID UNICODE": "not valid UTF-8 text",
    "UNQUOTED VALUE": "a quote inside a field that is not quoted",
}


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def stage_file(
    con: duckdb.DuckDBPyConnection, path: Path, columns: tuple[str, ...]
) -> list[FieldError]:
    """Fill STAGED with `columns` (text, '' when absent) and ROW_COLUMN; return the garbled rows."""
    fmt = detect_format(path)
    header = read_header(path)
    if fmt == "parquet":
        _stage_parquet(con, path, header, columns)
        return []
    if fmt == "csv":
        return _stage_csv(con, path, header, columns)
    return _stage_jsonl(con, path, columns)


def _text_columns(header: list[str], columns: tuple[str, ...]) -> str:
    return ", ".join(
        f"coalesce(CAST({_quoted(name)} AS VARCHAR), '') AS {_quoted(name)}"
        if name in header
        else f"'' AS {_quoted(name)}"
        for name in columns
    )


def _stage_parquet(
    con: duckdb.DuckDBPyConnection, path: Path, header: list[str], columns: tuple[str, ...]
) -> None:
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {STAGED} AS "
            f"SELECT {_text_columns(header, columns)}, file_row_number + 1 AS {ROW_COLUMN} "
            f"FROM read_parquet({_literal(str(path))}, file_row_number = true)"
        )
    except duckdb.Error as exc:
        raise FileUnreadable(f"{path.name}: cannot be read as parquet: {exc}") from exc


def _stage_csv(
    con: duckdb.DuckDBPyConnection, path: Path, header: list[str], columns: tuple[str, ...]
) -> list[FieldError]:
    # Header names as the contract reads them (trimmed); an unnamed column gets a stand-in.
    names = [name or f"_unnamed_{position}" for position, name in enumerate(header)]
    declared = "{" + ", ".join(f"{_literal(name)}: 'VARCHAR'" for name in names) + "}"
    try:
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE {_RAW} AS
            SELECT * FROM read_csv({_literal(str(path))}, header = true, auto_detect = false,
                columns = {declared}, delim = ',', quote = '"', escape = '"',
                max_line_size = {MAX_LINE_BYTES}, ignore_errors = true, store_rejects = true,
                rejects_table = '{_CSV_REJECTS}', rejects_scan = '{_CSV_SCANS}')
            """
        )
        found = con.execute(
            "SELECT DISTINCT line - 1, error_type, contains(csv_line, chr(10)) "
            f"FROM {_CSV_REJECTS} ORDER BY 1"
        ).fetchall()
    except duckdb.Error as exc:
        raise FileUnreadable(f"{path.name}: cannot be read as csv: {exc}") from exc
    errors: list[FieldError] = []
    for row, kind, spans_lines in found:
        # A quote left open runs on over the rows after it: none of them can be told apart.
        if kind == "UNQUOTED VALUE" and spans_lines:
            raise FileUnreadable(f"{path.name}: data row {row}: a quote that is never closed")
        message = _ROW_ERRORS.get(str(kind))
        if message is None:
            raise FileUnreadable(
                f"{path.name}: data row {row}: malformed CSV ({str(kind).lower()})"
            )
        if not errors or errors[-1].row != row:
            errors.append(FieldError(int(row), WHOLE_ROW, "unreadable_row", message))
    _number_rows(con, _text_columns(header, columns), [e.row for e in errors])
    return errors


def _stage_jsonl(
    con: duckdb.DuckDBPyConnection, path: Path, columns: tuple[str, ...]
) -> list[FieldError]:
    # Each line is read whole as one text value (no delimiter or quote can split it), then parsed.
    try:
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE {_RAW} AS
            SELECT line FROM read_csv({_literal(str(path))}, header = false, auto_detect = false,
                columns = {{'line': 'VARCHAR'}}, delim = '\x1f', quote = '', escape = '',
                max_line_size = {MAX_LINE_BYTES}, ignore_errors = true, store_rejects = true,
                rejects_table = '{_CSV_REJECTS}', rejects_scan = '{_CSV_SCANS}')
            """
        )
        unreadable = con.execute(f"SELECT DISTINCT line FROM {_CSV_REJECTS} ORDER BY 1").fetchall()
        lines = [int(line) for (line,) in unreadable]
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE {_RAW} AS
            SELECT line::JSON AS record FROM (
                SELECT CASE WHEN json_valid(line) AND json_type(line) = 'OBJECT' THEN line
                    ELSE '"not an object"' END AS line, trim(line) = '' AS blank, rowid AS line_at
                FROM {_RAW}) WHERE NOT blank ORDER BY line_at
            """
        )
    except duckdb.Error as exc:
        raise FileUnreadable(f"{path.name}: cannot be read as jsonl: {exc}") from exc
    errors = [
        FieldError(line, WHOLE_ROW, "unreadable_row", "not valid UTF-8 text") for line in lines
    ]
    values = ", ".join(
        f"coalesce(CASE json_type(record, {_literal('$.' + name)}) "
        f"WHEN 'NULL' THEN NULL ELSE record ->> {_literal('$.' + name)} END, '') AS {_quoted(name)}"
        for name in columns
    )
    _number_rows(
        con, values + ", json_type(record) = 'OBJECT' AS _is_object", [e.row for e in errors]
    )
    bad = con.execute(f"SELECT {ROW_COLUMN} FROM {STAGED} WHERE NOT _is_object").fetchall()
    errors += [
        FieldError(int(row), WHOLE_ROW, "unreadable_row", "not a JSON object") for (row,) in bad
    ]
    names = ", ".join(_quoted(name) for name in (*columns, ROW_COLUMN))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE master_json_rows AS "
        f"SELECT {names} FROM {STAGED} WHERE _is_object"
    )
    con.execute(f"CREATE OR REPLACE TEMP VIEW {STAGED} AS SELECT * FROM master_json_rows")
    errors.sort(key=lambda error: error.row)
    return errors


def _number_rows(con: duckdb.DuckDBPyConnection, select: str, skipped: list[int]) -> None:
    """Number the rows of _RAW in file order, leaving out the numbers of the `skipped` rows.

    _RAW holds the readable rows in file order, so the k-th of them is its k-th row id. It is row
    k plus the number of skipped rows before it: the skipped row at position j (0-based, in order)
    comes before every readable row past k = row - j - 1.
    """
    first = con.execute(f"SELECT coalesce(min(rowid), 0) FROM {_RAW}").fetchone()
    ordinal = f"rowid - {int(first[0]) if first else 0} + 1"
    if not skipped:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {STAGED} AS "
            f"SELECT {select}, {ordinal} AS {ROW_COLUMN} FROM {_RAW}"
        )
        return
    con.execute("CREATE OR REPLACE TEMP TABLE master_skipped (after BIGINT, skipped BIGINT)")
    con.executemany(
        "INSERT INTO master_skipped VALUES (?, ?)",
        [(row - position - 1, position + 1) for position, row in enumerate(sorted(skipped))],
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW {STAGED} AS
        WITH ordered AS (SELECT *, {ordinal} AS k FROM {_RAW}),
        gaps AS (SELECT after, max(skipped) AS skipped FROM master_skipped GROUP BY after)
        SELECT {select}, k + coalesce(gaps.skipped, 0) AS {ROW_COLUMN}
        FROM ordered ASOF LEFT JOIN gaps ON ordered.k > gaps.after
        """
    )


def drop_staged(con: duckdb.DuckDBPyConnection) -> None:
    """Drop what `stage_file` left: the staged view and the tables under it."""
    con.execute(f"DROP VIEW IF EXISTS {STAGED}")
    for table in (_RAW, "master_skipped", "master_json_rows", _CSV_REJECTS, _CSV_SCANS):
        con.execute(f"DROP TABLE IF EXISTS {table}")
