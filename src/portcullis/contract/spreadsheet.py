"""CSV cells made safe to open in a spreadsheet: the one writer every export of the product uses.

A spreadsheet runs a cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
formula (CSV or formula injection: `=HYPERLINK(...)` in a name or an item id). Every such text
cell is written with a leading apostrophe, which spreadsheets show as text and do not run. Numbers
are left as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
INERT_PREFIX = "'"
_QUOTING_TERMINATOR = "\r\n"


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def neutralise(cell: object) -> object:
    """Return a text cell that a spreadsheet would run as a formula with a leading apostrophe."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return INERT_PREFIX + cell
    return cell


class SafeCsvWriter:
    """A CSV writer that neutralises every cell of every row it writes, the header included."""

    def __init__(self, handle: _Writable) -> None:
        self._handle = handle
        # The csv module quotes a cell holding a character of the line terminator; with "\n" alone
        # a bare carriage return would go out unquoted and split the row for a reader. Each row is
        # written with "\r\n" (so both are quoted) and ends in "\n" as every export always has.
        self._row = io.StringIO()
        self._writer = csv.writer(self._row, lineterminator=_QUOTING_TERMINATOR)

    def writerow(self, row: Iterable[object]) -> None:
        """Write one row with every cell made safe."""
        self._row.seek(0)
        self._row.truncate()
        self._writer.writerow([neutralise(cell) for cell in row])
        self._handle.write(self._row.getvalue()[: -len(_QUOTING_TERMINATOR)] + "\n")


def safe_csv_writer(handle: _Writable) -> SafeCsvWriter:
    """Return the product's CSV writer over `handle` (newline-terminated rows, cells made safe)."""
    return SafeCsvWriter(handle)
