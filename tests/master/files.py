"""Master files for the loader's tests: the contract's header and a CSV writer."""

from __future__ import annotations

from pathlib import Path

from portcullis.contract.columns import MASTER_COLUMNS

HEADER = ",".join(MASTER_COLUMNS)


def write_lines(path: Path, *lines: str) -> Path:
    """Write a master CSV of the header and `lines`."""
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path
