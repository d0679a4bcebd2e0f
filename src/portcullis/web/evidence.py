"""What a reviewer sees of one held item: the request and the taxpayer's records, field by field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import duckdb

from portcullis.checks.reasons import REASONS
from portcullis.contract.columns import MASTER_COLUMNS
from portcullis.master.schema import MASTER_TABLE
from portcullis.review import HeldItem

Tone = Literal["agree", "differ", "neutral"]
# The master columns a reviewer compares; the TIN is shown masked elsewhere.
RECORD_COLUMNS = tuple(name for name in MASTER_COLUMNS if name != "tin")
# Evidence field → label and the record columns it compares (the same names on both sides).
FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("given", "Given name", ("first_name",)),
    ("middle", "Middle name", ("middle_name",)),
    ("surname", "Family name", ("last_name",)),
    ("suffix", "Suffix", ("name_suffix",)),
    ("dob", "Date of birth", ("date_of_birth",)),
    ("address", "Address", ("street", "unit", "city", "state", "zip")),
    ("tin", "TIN", ("tin",)),
)


@dataclass(frozen=True, slots=True)
class FieldRow:
    """One compared field: both values, the agreement level, its weight and how it reads."""

    label: str
    requested: str
    candidate: str
    level: str
    weight: float | None
    tf_adjustment: float | None
    tone: Tone


@dataclass(frozen=True, slots=True)
class ReviewCard:
    """A held item ready to show: comparison rows, the taxpayer's records, runner-up, reasons."""

    held: HeldItem
    release_address: str
    rows: tuple[FieldRow, ...]
    records: tuple[dict[str, str], ...]
    total: float | None
    runner_up: dict[str, Any] | None
    runner_up_rows: tuple[FieldRow, ...]
    thresholds: dict[str, Any]
    reasons: tuple[tuple[str, str], ...]


def mask_tin(tin: object) -> str:
    """Show only the last four digits of a TIN, as the IRS does on notices."""
    digits = "".join(ch for ch in str(tin or "") if ch.isdigit())
    return f"•••-••-{digits[-4:]}" if len(digits) >= 4 else ""


def taxpayer_records(master: duckdb.DuckDBPyConnection, tin: str) -> list[dict[str, str]]:
    """Return every master record of one taxpayer, newest tax year first, as display strings."""
    columns = ", ".join(RECORD_COLUMNS)
    rows = master.execute(
        f"SELECT {columns} FROM {MASTER_TABLE} WHERE tin = ? ORDER BY tax_year DESC", [tin]
    ).fetchall()
    return [
        {
            name: "" if value is None else str(value)
            for name, value in zip(RECORD_COLUMNS, row, strict=True)
        }
        | {"tin": tin}
        for row in rows
    ]


def _value(record: Mapping[str, Any], columns: tuple[str, ...]) -> str:
    if columns == ("tin",):
        return mask_tin(record.get("tin"))
    parts = [str(record.get(name) or "").strip() for name in columns]
    if len(columns) > 1:
        street, unit, city, state, zip_code = parts
        return ", ".join(p for p in (street, unit, city, f"{state} {zip_code}".strip()) if p)
    return parts[0]


def tone_of(level: str, weight: float | None) -> Tone:
    """Read a field as agreeing (positive weight), differing (negative) or neutral (zero, none)."""
    if weight is None or level == "missing" or weight == 0:
        return "neutral"
    return "agree" if weight > 0 else "differ"


def compare_fields(
    request_item: Mapping[str, Any], candidate: Mapping[str, Any], fields: Mapping[str, Any]
) -> tuple[FieldRow, ...]:
    """Pair the requested and the candidate's value of each field with its level and weight."""
    rows: list[FieldRow] = []
    for key, label, columns in FIELDS:
        found = fields.get(key) or {}
        level = str(found.get("level", "not compared"))
        weight = found.get("weight")
        tf = found.get("tf_adjustment")
        net = None if weight is None else float(weight) + float(tf or 0.0)
        rows.append(
            FieldRow(
                label=label,
                requested=_value(request_item, columns),
                candidate=_value(candidate, columns),
                level=level.replace("_", " "),
                weight=net,
                tf_adjustment=None if tf is None else float(tf),
                tone=tone_of(level, net),
            )
        )
    return tuple(rows)


def address_history(records: Sequence[Mapping[str, Any]]) -> str:
    """List each address on file once with its newest tax year, newest first."""
    seen: dict[str, str] = {}
    for record in records:
        seen.setdefault(_value(record, FIELDS[5][2]), str(record.get("tax_year", "")))
    return "; ".join(f"{address} ({year})" for address, year in seen.items())


def _with_history(row: FieldRow, records: Sequence[Mapping[str, Any]]) -> FieldRow:
    # The address level is the best agreement over the taxpayer's whole history, so the reviewer
    # sees that history rather than only the address that would be released.
    if row.label != FIELDS[5][1] or len(records) < 2:
        return row
    return replace(row, candidate=address_history(records))


def review_card(
    held: HeldItem,
    records: Sequence[dict[str, str]],
    runner_records: Sequence[dict[str, str]] = (),
) -> ReviewCard:
    """Assemble everything the reviewer sees for one held item and its runner-up."""
    evidence = held.evidence or {}
    best = evidence.get("best") or {}
    candidate: dict[str, Any] = dict(records[0]) if records else {}
    candidate.update(held.candidate or {})
    runner = evidence.get("runner_up")
    runner_candidate = dict(runner_records[0]) if runner_records else {}
    if runner:
        runner_candidate["tin"] = runner.get("tin")
    rows = compare_fields(held.request_item, candidate, best.get("fields") or {})
    return ReviewCard(
        held=held,
        release_address=_value(held.candidate or {}, FIELDS[5][2]),
        rows=tuple(_with_history(row, records) for row in rows),
        records=tuple(records),
        total=best.get("total"),
        runner_up=runner,
        runner_up_rows=(
            compare_fields(held.request_item, runner_candidate, runner.get("fields") or {})
            if runner
            else ()
        ),
        thresholds=dict(evidence.get("thresholds") or {}),
        reasons=tuple(
            (code, REASONS[code].meaning if code in REASONS else "") for code in held.reason_codes
        ),
    )
