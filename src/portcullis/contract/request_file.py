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
from portcullis.contract.tabular import (
    DEFAULT_BATCH_ROWS,
    ROW_COLUMN,
    declared_rows,
    iter_batches,
    read_header,
)
from portcullis.errors import ColumnsMissing, FileUnreadable, PortcullisError

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
# A batch of at most this many rows (an on-demand request's) is read with the optimiser off.
SMALL_READ_ROWS = 100
# Normalising views kept per reader thread (one per cursor and set of extra columns).
_KEPT_VIEWS = 16


class TooManyItems(PortcullisError):
    """A request file holds more rows than the program allows in one request; refused whole."""

    code = "batch_too_large"


@dataclass(frozen=True, slots=True)
class RequestFile:
    """A request file as read: its bytes' column names and one item per data row, in order."""

    path: Path
    columns: tuple[str, ...]
    extra_columns: tuple[str, ...]
    items: tuple[RequestItem, ...]


def read_request_file(path: Path, *, max_items: int | None = None) -> RequestFile:
    """Read every row of a request file, refusing whole one unreadable or over `max_items` rows."""
    header = read_header(path)
    missing = [name for name in REQUEST_REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ColumnsMissing(f"{path.name}: missing required columns: {', '.join(missing)}")
    extras = tuple(name for name in header if name not in REQUEST_COLUMNS and name)
    columns = [*REQUEST_COLUMNS, *extras]
    # `max_items` is the program's limits.max_batch_items: past it the file is refused whole at
    # its first excess row, with no more than that many rows ever read or held.
    batch_rows = DEFAULT_BATCH_ROWS
    if max_items is not None:
        _refuse_declared_excess(path, max_items)
        batch_rows = min(DEFAULT_BATCH_ROWS, max_items + 1)
    items: list[RequestItem] = []
    rows_read = 0
    for batch in iter_batches(path, columns, batch_rows=batch_rows):
        rows_read += batch.table.num_rows + len(batch.errors)
        if max_items is not None and rows_read > max_items:
            raise TooManyItems(_past_limit(path, max_items))
        con = _reader_connection(small=batch.table.num_rows <= SMALL_READ_ROWS)
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


def _refuse_declared_excess(path: Path, max_items: int) -> None:
    # A Parquet footer states its rows: too many are refused before a row group is decompressed.
    declared = declared_rows(path)
    if declared is not None and declared > max_items:
        raise TooManyItems(_past_limit(path, max_items, f"the file declares {declared} rows; "))


def _past_limit(path: Path, max_items: int, declared: str = "") -> str:
    return (
        f"{path.name}: {declared}row {max_items + 1} is past the program's limit of {max_items}"
        " items in one request; the file is refused whole"
    )


class _Readers(threading.local):
    """This thread's cursors on the process's in-memory DuckDB database that reads requests."""

    pid: int = 0
    small: duckdb.DuckDBPyConnection | None = None
    large: duckdb.DuckDBPyConnection | None = None
    # The normalising view made on each cursor, by the extra columns it passes through.
    views: dict[tuple[int, tuple[str, ...]], str]

    def __init__(self) -> None:
        self.views = {}


_readers = _Readers()
_database: tuple[int, duckdb.DuckDBPyConnection] | None = None
_database_lock = threading.Lock()


def _reader_connection(*, small: bool) -> duckdb.DuckDBPyConnection:
    # A new DuckDB database per file cost more than reading a one-item file: one database serves
    # the process (made again in a forked child), each thread reading through its own cursors.
    global _database
    pid = os.getpid()
    if _readers.small is None or _readers.large is None or _readers.pid != pid:
        with _database_lock:
            if _database is None or _database[0] != pid:
                # One thread per statement: a request's rows are few, and the process has peers.
                _database = (pid, duckdb.connect(config={"threads": 1}))
            _readers.large = _database[1].cursor()
            _readers.small = _database[1].cursor()
            _readers.pid = pid
            _readers.views = {}
        # Optimising the normalising SQL costs more than running it on a few rows. SESSION
        # keeps the switch on this cursor: a plain SET would reach every cursor of the database,
        # the large reads' too.
        _readers.small.execute("SET SESSION enable_optimizer = false")
    return _readers.small if small else _readers.large


def _read_batch(con: duckdb.DuckDBPyConnection, extras: tuple[str, ...]) -> list[RequestItem]:
    cursor = con.execute(f"SELECT * FROM {_normalising_view(con, extras)}")
    names = [d[0] for d in cursor.description]
    return [_item(dict(zip(names, values, strict=True)), extras) for values in cursor.fetchall()]


def _normalising_view(con: duckdb.DuckDBPyConnection, extras: tuple[str, ...]) -> str:
    # The normalising SQL is long: parsing it took half of a one-item read. A view on the cursor
    # keeps it parsed; it is bound again at each read, so it reads the table registered now.
    # The extra columns are the sender's to name: past a few sets they are read unkept.
    key = (id(con), extras)
    name = _readers.views.get(key)
    if name is not None:
        return name
    select = normalise_select_sql(REQUEST_SPECS, "request_incoming", ROW_COLUMN, extras)
    if len(_readers.views) >= _KEPT_VIEWS:
        return f"({select})"
    name = f"request_normalised_{len(_readers.views)}"
    con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {select}")
    _readers.views[key] = name
    return name


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
