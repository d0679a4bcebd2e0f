"""Stream CSV, Parquet and JSON Lines files as batches of text columns with exact row numbers."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from portcullis.contract.records import FieldError
from portcullis.errors import FileUnreadable

ROW_COLUMN = "_row"
# The field a row-level error names (a row the file format itself garbled).
WHOLE_ROW = "(row)"
DEFAULT_BATCH_ROWS = 100_000
# The longest field any file may hold, in characters, whatever its format: the CSV reader's own
# limit. A longer one makes its row unreadable (in CSV, where the reader cannot resynchronise, the
# file). UTF-8 spends at most four bytes a character, which bounds what a Parquet column chunk may
# expand to before a single value of it is decompressed.
FIELD_LIMIT = 131_072
_MAX_BYTES_PER_CHAR = 4
FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}

Progress = Callable[[int], None]


@dataclass(slots=True)
class RowBatch:
    """Rows from one stretch of a file: text columns, row numbers, and unreadable rows."""

    table: pa.Table  # every contract column as string, plus ROW_COLUMN (int64, 1-based)
    errors: list[FieldError] = field(default_factory=list)


def detect_format(path: Path) -> str:
    """Return 'csv', 'parquet' or 'jsonl' from the file name, or refuse the file."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise FileUnreadable(
            f"{path.name}: unknown file type {path.suffix or '(none)'}; "
            "use .csv, .parquet or .jsonl"
        )
    return fmt


def read_header(path: Path) -> list[str]:
    """Return the column names of a file, refusing files that have none or repeat one."""
    fmt = detect_format(path)
    if not path.is_file():
        raise FileUnreadable(f"{path}: no such file")
    try:
        if fmt == "csv":
            with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
                names = next(csv.reader(handle), [])
            if any(_has_bad_bytes(name) for name in names):
                raise FileUnreadable(f"{path.name}: the header row is not valid UTF-8 text")
        elif fmt == "parquet":
            names = list(pq.ParquetFile(path).schema_arrow.names)
        else:
            names = _jsonl_header(path)
    except (UnicodeDecodeError, csv.Error, pa.ArrowException, OSError) as exc:
        raise FileUnreadable(f"{path.name}: cannot be read as {fmt}: {exc}") from exc
    names = [name.strip() for name in names]
    if not names or all(not name for name in names):
        raise FileUnreadable(f"{path.name}: no header row")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise FileUnreadable(f"{path.name}: column named more than once: {', '.join(repeated)}")
    return names


def declared_rows(path: Path) -> int | None:
    """Return the row count a Parquet file's footer states, or None for a text format."""
    if detect_format(path) != "parquet":
        return None
    try:
        return int(pq.ParquetFile(path).metadata.num_rows)
    except (pa.ArrowException, OSError) as exc:
        raise FileUnreadable(f"{path.name}: cannot be read as parquet: {exc}") from exc


def iter_batches(
    path: Path,
    columns: list[str],
    *,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    progress: Progress | None = None,
) -> Iterator[RowBatch]:
    """Yield the file's rows in batches; `progress` receives bytes (or row groups) done so far."""
    fmt = detect_format(path)
    if fmt == "parquet":
        yield from _parquet_batches(path, columns, batch_rows, progress)
    else:
        reader = _csv_rows if fmt == "csv" else _jsonl_rows
        yield from _text_batches(path, columns, reader, batch_rows, progress)


RowReader = Callable[[io.TextIOWrapper, list[str]], Iterator[tuple[int, list[str] | None, str]]]


def _text_batches(
    path: Path, columns: list[str], reader: RowReader, batch_rows: int, progress: Progress | None
) -> Iterator[RowBatch]:
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
        values: list[list[str]] = [[] for _ in columns]
        rows: list[int] = []
        errors: list[FieldError] = []
        for row, cells, problem in reader(text, columns):
            if cells is None:
                errors.append(FieldError(row, WHOLE_ROW, "unreadable_row", problem))
            else:
                rows.append(row)
                for column, cell in zip(values, cells, strict=True):
                    column.append(cell)
            if len(rows) + len(errors) >= batch_rows:
                yield _make_batch(columns, values, rows, errors)
                values, rows, errors = [[] for _ in columns], [], []
                if progress is not None:
                    progress(raw.tell())
        if rows or errors:
            yield _make_batch(columns, values, rows, errors)
        if progress is not None:
            progress(raw.tell())


def _csv_rows(
    text: io.TextIOWrapper, columns: list[str]
) -> Iterator[tuple[int, list[str] | None, str]]:
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(text)
    row = 0
    try:
        header = [name.strip() for name in next(reader)]
        positions = [header.index(name) if name in header else -1 for name in columns]
        for record in reader:
            row += 1
            if not record or (len(record) == 1 and not record[0].strip()):
                row -= 1  # a blank line is not a data row
                continue
            if len(record) != len(header):
                yield row, None, f"expected {len(header)} fields, found {len(record)}"
                continue
            cells = [record[p] if p >= 0 else "" for p in positions]
            if any(_has_bad_bytes(cell) for cell in cells):
                yield row, None, "not valid UTF-8 text"
                continue
            yield row, cells, ""
    except csv.Error as exc:
        # The csv module cannot resynchronise after this, so the file is refused whole.
        raise FileUnreadable(f"data row {row + 1}: malformed CSV: {exc}") from exc


def _jsonl_header(path: Path) -> list[str]:
    # Bad bytes after the first line belong to their rows: each is its row's error, not the file's.
    with path.open(encoding="utf-8-sig", errors="surrogateescape") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                if _has_bad_bytes(line):
                    raise FileUnreadable(f"{path.name}: line {number} is not valid UTF-8 text")
                try:
                    first = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise FileUnreadable(f"{path.name}: line {number} is not JSON: {exc}") from exc
                if not isinstance(first, dict):
                    raise FileUnreadable(f"{path.name}: the first line is not a JSON object")
                return [str(key) for key in first]
    return []


def _jsonl_rows(
    text: io.TextIOWrapper, columns: list[str]
) -> Iterator[tuple[int, list[str] | None, str]]:
    row = 0
    for line in text:
        if not line.strip():
            continue
        row += 1
        if _has_bad_bytes(line):
            yield row, None, "not valid UTF-8 text"
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield row, None, f"not a JSON object: {exc.msg}"
            continue
        if not isinstance(record, dict):
            yield row, None, "not a JSON object"
            continue
        cells = [_json_text(record.get(name)) for name in columns]
        long = [name for name, cell in zip(columns, cells, strict=True) if len(cell) > FIELD_LIMIT]
        if long:
            yield row, None, too_long_message(long)
            continue
        yield row, cells, ""


def too_long_message(names: list[str]) -> str:
    """The reason a row with these fields over the field limit is unreadable."""
    return f"field {', '.join(names)} longer than the field limit ({FIELD_LIMIT} characters)"


def _json_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _parquet_batches(
    path: Path, columns: list[str], batch_rows: int, progress: Progress | None
) -> Iterator[RowBatch]:
    try:
        source = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise FileUnreadable(f"{path.name}: cannot be read as parquet: {exc}") from exc
    present = [name for name in columns if name in source.schema_arrow.names]
    refuse_expanding_chunks(path, source, present)
    offset = 0
    try:
        for done, batch in enumerate(source.iter_batches(batch_size=batch_rows, columns=present)):
            arrays = []
            for name in columns:
                if name in present:
                    text = batch.column(name).cast(pa.string())
                    arrays.append(text.fill_null(""))
                else:
                    arrays.append(pa.array([""] * batch.num_rows, pa.string()))
            rows = pa.array(range(offset + 1, offset + batch.num_rows + 1), pa.int64())
            offset += batch.num_rows
            table = pa.Table.from_arrays([*arrays, rows], names=[*columns, ROW_COLUMN])
            yield _without_long_fields(table, columns)
            if progress is not None:
                progress(done + 1)
    except (pa.ArrowException, OSError) as exc:
        raise FileUnreadable(f"{path.name}: unreadable after row {offset}: {exc}") from exc


def refuse_expanding_chunks(path: Path, source: pq.ParquetFile, present: list[str]) -> None:
    """Refuse a file whose column chunk would expand past what its rows' fields may hold.

    Read from the file's metadata alone, before anything is decompressed: a few kilobytes that
    expand to gigabytes are refused without the gigabytes ever being allocated.
    """
    metadata = source.metadata
    for group in range(metadata.num_row_groups):
        chunks = metadata.row_group(group)
        bound = max(chunks.num_rows, 1) * FIELD_LIMIT * _MAX_BYTES_PER_CHAR
        for index in range(chunks.num_columns):
            chunk = chunks.column(index)
            if chunk.path_in_schema in present and chunk.total_uncompressed_size > bound:
                raise FileUnreadable(
                    f"{path.name}: column {chunk.path_in_schema} of row group {group + 1} expands"
                    f" to {chunk.total_uncompressed_size} bytes, more than its"
                    f" {chunks.num_rows} rows may hold under the field limit"
                    f" ({FIELD_LIMIT} characters)"
                )


def _without_long_fields(table: pa.Table, columns: list[str]) -> RowBatch:
    """Return the batch with each row holding a field over the limit moved to the errors."""
    long = {name: pc.greater(pc.utf8_length(table.column(name)), FIELD_LIMIT) for name in columns}
    marked = [name for name, flags in long.items() if pc.any(flags).as_py()]
    if not marked:
        return RowBatch(table)
    rows = table.column(ROW_COLUMN).to_pylist()
    errors = []
    keep = [True] * table.num_rows
    for position, row in enumerate(rows):
        names = [name for name in marked if long[name][position].as_py()]
        if names:
            keep[position] = False
            errors.append(FieldError(row, WHOLE_ROW, "unreadable_row", too_long_message(names)))
    return RowBatch(table.filter(pa.array(keep)), errors)


def _make_batch(
    columns: list[str], values: list[list[str]], rows: list[int], errors: list[FieldError]
) -> RowBatch:
    arrays = [pa.array(column, pa.string()) for column in values]
    arrays.append(pa.array(rows, pa.int64()))
    return RowBatch(pa.Table.from_arrays(arrays, names=[*columns, ROW_COLUMN]), errors)


def _has_bad_bytes(text: str) -> bool:
    # Undecodable bytes arrive as lone surrogates (errors="surrogateescape").
    return any("\udc80" <= char <= "\udcff" for char in text)
