"""Turn state-database rows into JSON lines and back, by each column's declared type."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Column, DateTime, LargeBinary, Table

from portcullis.errors import PortcullisError
from portcullis.moments import as_utc


class RowUnreadable(PortcullisError):
    """A dumped row does not fit the table it is to be restored into."""


def encode_row(table: Table, row: Mapping[Any, Any]) -> str:
    """Return one row as a JSON line: bytes in base64, times in UTC ISO 8601."""
    values = {column.name: _encode(column, row[column.name]) for column in table.columns}
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def decode_row(table: Table, line: str, where: str) -> dict[str, Any]:
    """Read a JSON line back into values for `table`; `where` names the file and line."""
    try:
        values = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RowUnreadable(f"{where}: not a JSON object ({exc.msg})") from exc
    if not isinstance(values, dict):
        raise RowUnreadable(f"{where}: not a JSON object")
    unknown = sorted(set(values) - {column.name for column in table.columns})
    if unknown:
        raise RowUnreadable(f"{where}: table {table.name} has no column {unknown[0]}")
    decoded: dict[str, Any] = {}
    for name, value in values.items():
        try:
            decoded[name] = _decode(table.columns[name], value)
        except (ValueError, TypeError) as exc:
            raise RowUnreadable(f"{where}: column {name}: {exc}") from exc
    return decoded


def _encode(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, LargeBinary):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(column.type, DateTime):
        return as_utc(value).isoformat()
    return value


def _decode(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, LargeBinary):
        return base64.b64decode(str(value), validate=True)
    if isinstance(column.type, DateTime):
        return as_utc(dt.datetime.fromisoformat(str(value)))
    return value
