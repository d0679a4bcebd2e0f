"""Read a request file (CONTRACT.md section 2) into request items, keeping every row."""

from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb

from portcullis.contract.columns import REQUEST_COLUMNS
from portcullis.contract.normalize import (
    ERROR_MESSAGES,
    FieldSpec,
    Kind,
    normalise_select_sql,
)
from portcullis.contract.placeholders import PLACEHOLDER_TESTS
from portcullis.contract.records import FieldError, RequestItem
from portcullis.contract.tabular import ROW_COLUMN, iter_batches, read_header
from portcullis.errors import ColumnsMissing, FileUnreadable

# Columns without which no item of the file could ever pass: their absence refuses the file whole.
REQUEST_REQUIRED_COLUMNS: tuple[str, ...] = (
    "item_id",
    "first_name",
    "last_name",
    "street",
    "city",
    "state",
    "zip",
    "taxable_periods",
    "statute",
    "case_number",
    "reason",
    "recipient_officers",
)
_KINDS: dict[str, Kind] = {"date_of_birth": "date", "tin": "tin", "state": "state", "zip": "zip"}
REQUEST_SPECS: tuple[FieldSpec, ...] = tuple(
    FieldSpec(name, _KINDS.get(name, "text")) for name in REQUEST_COLUMNS
)


_FIELD_ORDER = {spec.name: position for position, spec in enumerate(REQUEST_SPECS)}


@dataclass(frozen=True, slots=True)
class RequestFile:
    """A request file as read: its bytes' column names and one item per data row, in order."""

    path: Path
    columns: tuple[str, ...]
    extra_columns: tuple[str, ...]
    items: tuple[RequestItem, ...]


def read_request_file(path: Path) -> RequestFile:
    """Read every row of a request file; a file that cannot be read at all is refused whole."""
    header = read_header(path)
    missing = [name for name in REQUEST_REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ColumnsMissing(f"{path.name}: missing required columns: {', '.join(missing)}")
    extras = tuple(name for name in header if name not in REQUEST_COLUMNS and name)
    columns = [*REQUEST_COLUMNS, *extras]
    items: list[RequestItem] = []
    con = _reader_connection()
    for batch in iter_batches(path, columns):
        con.register("request_incoming", batch.table)
        try:
            items.extend(_read_batch(con, extras))
        finally:
            con.unregister("request_incoming")
        items.extend(_unreadable_item(error) for error in batch.errors)
    if not items:
        raise FileUnreadable(f"{path.name}: the file has a header but no items")
    items.sort(key=lambda item: item.row)
    return RequestFile(path, tuple(header), extras, tuple(items))


class _Readers(threading.local):
    """This thread's connection to the process's in-memory DuckDB database that reads requests."""

    pid: int = 0
    cursor: duckdb.DuckDBPyConnection | None = None


_readers = _Readers()
_database: tuple[int, duckdb.DuckDBPyConnection] | None = None
_database_lock = threading.Lock()


def _reader_connection() -> duckdb.DuckDBPyConnection:
    # A new DuckDB database per file cost more than reading a one-item file: one database serves
    # the process (made again in a forked child), each thread reading through its own cursor.
    global _database
    pid = os.getpid()
    if _readers.cursor is None or _readers.pid != pid:
        with _database_lock:
            if _database is None or _database[0] != pid:
                # One thread per statement: a request's rows are few, and the process has peers.
                _database = (pid, duckdb.connect(config={"threads": 1}))
            _readers.cursor = _database[1].cursor()
            _readers.pid = pid
    return _readers.cursor


def _read_batch(con: duckdb.DuckDBPyConnection, extras: tuple[str, ...]) -> list[RequestItem]:
    cursor = con.execute(
        normalise_select_sql(REQUEST_SPECS, "request_incoming", ROW_COLUMN, extras)
    )
    names = [d[0] for d in cursor.description]
    return [_item(dict(zip(names, values, strict=True)), extras) for values in cursor.fetchall()]


def _item(row: dict[str, object], extras: tuple[str, ...]) -> RequestItem:
    number = int(row[ROW_COLUMN])  # type: ignore[call-overload]
    errors = [
        FieldError(number, spec.name, str(code), ERROR_MESSAGES[str(code)])
        for spec in REQUEST_SPECS
        if (code := row[f"err_{spec.name}"]) is not None
    ]
    for name, holds_placeholder in PLACEHOLDER_TESTS.items():
        value = row[name]
        if isinstance(value, str) and holds_placeholder(value):
            row[name] = None
            message = f"{ERROR_MESSAGES['placeholder']} ({value!r})"
            errors.append(FieldError(number, name, "placeholder", message))
    officers = tuple(
        part.strip() for part in str(row["recipient_officers"] or "").split(";") if part.strip()
    )
    dob = row["date_of_birth"]
    extra_values = {name: str(row[name]) for name in extras if row.get(name) is not None}
    return RequestItem(
        row=number,
        item_id=_text(row["item_id"]),
        first_name=_text(row["first_name"]),
        middle_name=_text(row["middle_name"]),
        last_name=_text(row["last_name"]),
        name_suffix=_text(row["name_suffix"]),
        date_of_birth=dob if isinstance(dob, dt.date) else None,
        tin=_text(row["tin"]),
        street=_text(row["street"]),
        unit=_text(row["unit"]),
        city=_text(row["city"]),
        state=_text(row["state"]),
        zip=_text(row["zip"]),
        taxable_periods=_text(row["taxable_periods"]),
        statute=_text(row["statute"]),
        case_number=_text(row["case_number"]),
        reason=_text(row["reason"]),
        recipient_officers=officers,
        extra=extra_values,
        field_errors=tuple(sorted(errors, key=lambda error: _FIELD_ORDER[error.field])),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _unreadable_item(error: FieldError) -> RequestItem:
    # A row the file format itself garbled still becomes an item, so that it is refused and counted.
    return RequestItem(
        row=error.row,
        item_id=None,
        first_name=None,
        middle_name=None,
        last_name=None,
        name_suffix=None,
        date_of_birth=None,
        tin=None,
        street=None,
        unit=None,
        city=None,
        state=None,
        zip=None,
        taxable_periods=None,
        statute=None,
        case_number=None,
        reason=None,
        recipient_officers=(),
        field_errors=(error,),
    )
