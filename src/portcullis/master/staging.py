"""Stage a whole master file as a DuckDB relation of text columns, read once and in file order.

The engine parses CSV, Parquet and JSON Lines itself (no row passes through Python); the
statement that normalises the file is the one that reads it. A row the format garbles (wrong
number of fields, bytes that are not UTF-8, a line that is no JSON object) is named by its row
and kept out; a file the reader cannot resynchronise past (an unterminated quote, a line longer
than any row of fields within the field limit) is refused whole. Rows are numbered as the
contract's reader numbers them: data rows from 1, blank lines not counted.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from portcullis.contract.records import FieldError
from portcullis.contract.tabular import (
    FIELD_LIMIT,
    ROW_COLUMN,
    WHOLE_ROW,
    detect_format,
    read_header,
    refuse_expanding_chunks,
)
from portcullis.errors import FileUnreadable
from portcullis.master.csv_lines import data_rows, empty_lines_before, is_blank_line

STAGED = "master_staged"
_RAW = "master_raw"
_CSV_REJECTS = "master_csv_rejects"
_CSV_SCANS = "master_csv_scans"
# UTF-8 spends at most four bytes a character.
_MAX_BYTES_PER_CHAR = 4
# Reader errors that garble one row only; any other stops the file.
_ROW_ERRORS: dict[str, str] = {
    "MISSING COLUMNS": "wrong number of fields",
    "TOO MANY COLUMNS": "wrong number of fields",
    "INVALID ENCODING": "not valid UTF-8 text",
    "INVALID UNICODE": "not valid UTF-8 text",
    "UNQUOTED VALUE": "a quote inside a field that is not quoted",
}


@dataclass(slots=True)
class StagedFile:
    """A file staged as the view STAGED: its rows are numbered by `numbered_sql` once read."""

    path: Path
    fmt: str
    known: list[FieldError] = field(default_factory=list)  # rows found garbled while staging

    def garbled(self, con: duckdb.DuckDBPyConnection) -> list[FieldError]:
        """The rows the format garbled (kept out of STAGED), in row order; call once it is read."""
        return csv_errors(con, self.path) if self.fmt == "csv" else self.known


def _line_bytes(fields: int) -> int:
    """The longest line of `fields` fields, each quoted and at the field limit."""
    return fields * (FIELD_LIMIT * _MAX_BYTES_PER_CHAR + 4) + 2


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def stage_file(con: duckdb.DuckDBPyConnection, path: Path, columns: tuple[str, ...]) -> StagedFile:
    """Make STAGED a relation of `columns` (text, '' when absent) in file order, read once."""
    fmt = detect_format(path)
    header = read_header(path)
    if fmt == "parquet":
        _stage_parquet(con, path, header, columns)
        return StagedFile(path, fmt)
    if fmt == "csv":
        _stage_csv(con, path, header, columns)
        return StagedFile(path, fmt)
    return StagedFile(path, fmt, _stage_jsonl(con, path, columns, len(header)))


def numbered_sql(ordinals: str, garbled: list[FieldError]) -> str:
    """SQL giving each `ordinal` (k-th row read, from 1) its row number, skipping `garbled`.

    `ordinals` is a relation with a column `ordinal`, in any order. The garbled row at position j
    (0-based, in row order) comes before every row read past k = row - j - 1.
    """
    if not garbled:
        return f"SELECT *, ordinal AS {ROW_COLUMN} FROM {ordinals}"
    gaps = ", ".join(
        f"({error.row - position - 1}, {position + 1})"
        for position, error in enumerate(sorted(garbled, key=lambda error: error.row))
    )
    return (
        f"SELECT o.*, o.ordinal + coalesce(g.skipped, 0) AS {ROW_COLUMN} FROM {ordinals} o "
        "ASOF LEFT JOIN (SELECT after, max(skipped) AS skipped "
        f"FROM (VALUES {gaps}) v(after, skipped) GROUP BY after) g ON o.ordinal > g.after"
    )


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
        # The request reader's bound: no column chunk may expand past its rows' field limit.
        present = [name for name in columns if name in header]
        refuse_expanding_chunks(path, pq.ParquetFile(path), present)
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {STAGED} AS "
            f"SELECT {_text_columns(header, columns)}, file_row_number + 1 AS {ROW_COLUMN} "
            f"FROM read_parquet({_literal(str(path))}, file_row_number = true)"
        )
    except (duckdb.Error, pa.ArrowException, OSError) as exc:
        raise FileUnreadable(f"{path.name}: cannot be read as parquet: {exc}") from exc


def _stage_csv(
    con: duckdb.DuckDBPyConnection, path: Path, header: list[str], columns: tuple[str, ...]
) -> None:
    # Header names as the contract reads them (trimmed); an unnamed column gets a stand-in.
    names = [name or f"_unnamed_{position}" for position, name in enumerate(header)]
    declared = "{" + ", ".join(f"{_literal(name)}: 'VARCHAR'" for name in names) + "}"
    # A view: the file is read once, by the statement that normalises it; the rows the reader
    # could not take are in its rejects table afterwards (see `csv_errors`).
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW {STAGED} AS
        SELECT {_text_columns(header, columns)}, NULL::BIGINT AS {ROW_COLUMN}
        FROM read_csv({_literal(str(path))}, header = true, auto_detect = false,
            columns = {declared}, delim = ',', quote = '"', escape = '"',
            max_line_size = {_line_bytes(len(names))}, ignore_errors = true, store_rejects = true,
            rejects_table = '{_CSV_REJECTS}', rejects_scan = '{_CSV_SCANS}')
        """
    )


def csv_errors(con: duckdb.DuckDBPyConnection, path: Path) -> list[FieldError]:
    """Name the rows the CSV reader garbled, once STAGED has been read; refuse a lost file.

    The reader counts a blank line as a line, so each row is renumbered as the contract's reader
    numbers it: blank lines (and lines of nothing but spaces, which are blank to it) are not rows.
    """
    try:
        found = con.execute(
            "SELECT DISTINCT line, line_byte_position, error_type, csv_line "
            f"FROM {_CSV_REJECTS} ORDER BY 1"
        ).fetchall()
    except duckdb.CatalogException:
        return []  # the reader rejected nothing
    blanks = [int(start) for _, start, _, text in found if is_blank_line(str(text))]
    empty = empty_lines_before(path, [int(start) for _, start, *_ in found])
    errors: list[FieldError] = []
    for (line, start, kind, text), skipped in zip(found, empty, strict=True):
        if is_blank_line(str(text)):
            continue
        # Line 1 is the header; blank lines before this one are no rows.
        row = int(line) - 1 - skipped - bisect.bisect_left(blanks, int(start))
        # A quote left open runs on over the rows after it: none of them can be told apart.
        if kind == "UNQUOTED VALUE" and "\n" in str(text).lstrip("\r\n"):
            raise FileUnreadable(f"{path.name}: data row {row}: a quote that is never closed")
        message = _ROW_ERRORS.get(str(kind))
        if message is None:
            raise FileUnreadable(
                f"{path.name}: data row {row}: malformed CSV ({str(kind).lower()})"
            )
        if not errors or errors[-1].row != row:
            errors.append(FieldError(row, WHOLE_ROW, "unreadable_row", message))
    return errors


def _stage_jsonl(
    con: duckdb.DuckDBPyConnection, path: Path, columns: tuple[str, ...], keys: int
) -> list[FieldError]:
    # Each line is read whole as one text value (no delimiter or quote can split it), then parsed.
    try:
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE {_RAW} AS
            SELECT line FROM read_csv({_literal(str(path))}, header = false, auto_detect = false,
                columns = {{'line': 'VARCHAR'}}, delim = '\x1f', quote = '', escape = '',
                max_line_size = {_line_bytes(max(keys, len(columns)))}, ignore_errors = true,
                store_rejects = true, rejects_table = '{_CSV_REJECTS}',
                rejects_scan = '{_CSV_SCANS}')
            """
        )
        unreadable = con.execute(f"SELECT DISTINCT line FROM {_CSV_REJECTS} ORDER BY 1").fetchall()
        lines = data_rows(path, [int(line) for (line,) in unreadable])
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
        f"SELECT {names} FROM {STAGED} WHERE _is_object ORDER BY {ROW_COLUMN}"
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
