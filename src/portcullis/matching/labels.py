"""Labelled pairs for training: request-shaped rows with the true taxpayer's TIN."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from portcullis.errors import FileUnreadable
from portcullis.matching.query import MatchQuery

LABEL_COLUMN = "true_tin"


def parse_tax_years(text: str) -> frozenset[int]:
    """Return the tax years written as "2022-2024", "2023,2024" or a mix of both."""
    years: set[int] = set()
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        low, _, high = part.partition("-")
        start = int(low)
        years.update(range(start, int(high) + 1) if high else (start,))
    return frozenset(years)


def read_labelled(path: Path) -> list[tuple[MatchQuery, str]]:
    """Return (query, true TIN) pairs from a CSV of request columns plus `true_tin`."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise FileUnreadable(f"cannot read labelled pairs {path}: {exc}") from exc
    pairs: list[tuple[MatchQuery, str]] = []
    for number, row in enumerate(rows, start=1):
        tin = (row.get(LABEL_COLUMN) or "").strip()
        if not tin:
            continue
        try:
            pairs.append((query_from_row(row, number), tin))
        except ValueError as exc:
            raise FileUnreadable(f"{path}, row {number}: {exc}") from exc
    return pairs


def query_from_row(row: Mapping[str, str | None], number: int) -> MatchQuery:
    """Return the query for one request-shaped row of strings (CSV or Arrow)."""

    def text(name: str) -> str | None:
        return (row.get(name) or "").strip() or None

    born = text("date_of_birth")
    return MatchQuery(
        key=text("item_id") or f"row-{number}",
        first_name=text("first_name"),
        middle_name=text("middle_name"),
        last_name=text("last_name"),
        name_suffix=text("name_suffix"),
        date_of_birth=dt.date.fromisoformat(born) if born else None,
        tin=text("tin"),
        street=text("street"),
        unit=text("unit"),
        city=text("city"),
        state=text("state"),
        zip=text("zip"),
        tax_years=parse_tax_years(text("taxable_periods") or ""),
    )
