"""Blank lines of a CSV or JSON Lines file, which the contract's reader does not count as rows.

DuckDB's CSV reader numbers a garbled row by its line, counting the blank lines before it, where
the contract's reader (`contract/tabular.py`, Python's csv module) counts data rows only: a row
is numbered by the rows before it, whatever blank lines or line breaks inside quotes lie between.
"""

from __future__ import annotations

import bisect
import mmap
import re
from pathlib import Path

# A line break followed at once by another: the line between them is empty.
_EMPTY_LINE = re.compile(rb"\n(?=\r?\n)")
# What the csv module reads as one empty field: nothing, spaces, or an empty quoted field.
_BLANK = re.compile(r'\s*(?:"\s*")?\s*')
_BREAKS = frozenset(b"\r\n")


def is_blank_line(text: str) -> bool:
    """Tell whether a line the engine could not read is one the contract's reader skips."""
    return _BLANK.fullmatch(text) is not None


def empty_lines_before(path: Path, starts: list[int]) -> list[int]:
    """Count, for each byte offset in `starts`, the empty lines outside quotes that precede it.

    A line break inside a quoted field is inside an odd number of quote characters from the start
    of the file (an escaped quote is two of them), so counting quotes tells the two apart.
    """
    if not starts:
        return []
    found: list[int] = []
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        # The engine places a row after a blank line at or before the blank line's break; the row
        # itself starts past every line break there.
        rows = [_past_breaks(data, start) for start in starts]
        quotes = 0
        counted = 0
        for match in _EMPTY_LINE.finditer(data, 0, min(len(data), max(rows) + 2)):
            quotes += data[counted : match.start()].count(b'"')
            counted = match.start()
            if quotes % 2 == 0:
                found.append(match.end())  # where the empty line starts
    return [bisect.bisect_left(found, row) for row in rows]


def _past_breaks(data: mmap.mmap, start: int) -> int:
    while start < len(data) and data[start] in _BREAKS:
        start += 1
    return start


def data_rows(path: Path, lines: list[int]) -> list[int]:
    """Number each of the sorted `lines` of a JSON Lines file as a row: blank lines are not rows.

    Read only when the engine could not read some line, and only up to the last of them.
    """
    rows: list[int] = []
    wanted = iter(lines)
    target = next(wanted, None)
    row = 0
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if target is None:
                break
            if line.decode("utf-8", "surrogateescape").strip():
                row += 1
            if number == target:
                rows.append(row)
                target = next(wanted, None)
    return rows
