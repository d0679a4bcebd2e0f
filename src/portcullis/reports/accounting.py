"""The accounting export of CONTRACT.md section 5, written one row at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from portcullis.contract.columns import ACCOUNTING_COLUMNS
from portcullis.contract.spreadsheet import safe_csv_writer
from portcullis.errors import PortcullisError
from portcullis.reports.rows import AccountingRow

# Identity and address columns that an accounting row may carry only when the address went out:
# a refusal must not become a second channel for the taxpayer's identity.
DISCLOSED_ONLY: frozenset[str] = frozenset(
    {"tin", "street", "unit", "city", "state", "zip", "address_tax_year"}
)


class ExportUnwritableError(PortcullisError):
    """The accounting export cannot be written where it was asked for."""


def write_accounting_csv(rows: Iterable[AccountingRow], path: Path) -> int:
    """Write the accounting export to `path` and return the number of rows written."""
    # Rows stream into a sibling file that replaces `path` only when complete, so a failure
    # halfway never leaves an export that looks whole but is not.
    partial = path.with_name(f".{path.name}.partial")
    count = 0
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            writer = safe_csv_writer(handle)
            writer.writerow(ACCOUNTING_COLUMNS)
            for row in rows:
                writer.writerow(format_accounting_row(row))
                count += 1
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ExportUnwritableError(f"cannot write the accounting export {path}: {exc}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return count


def format_accounting_row(row: AccountingRow) -> list[str]:
    """Return one row's export cells, in ACCOUNTING_COLUMNS order."""
    values: dict[str, object] = {
        "request_id": row.request_id,
        "item_id": row.item_id,
        "outcome": row.outcome,
        "reason_codes": ";".join(row.reason_codes),
        "tin": row.tin,
        "street": row.street,
        "unit": row.unit,
        "city": row.city,
        "state": row.state,
        "zip": row.zip,
        "address_tax_year": row.address_tax_year,
        "match_score": None if row.match_score is None else f"{row.match_score:.4f}",
        "decided_at": _utc_text(row.decided_at),
        "decided_by": row.decided_by,
        "ledger_index": row.ledger_index,
    }
    cells: list[str] = []
    for column in ACCOUNTING_COLUMNS:
        value = values.get(column)
        if column in DISCLOSED_ONLY and not row.disclosed:
            value = None
        cells.append("" if value is None else str(value))
    return cells


def _utc_text(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        # Naive times are taken to be UTC already, the store's convention.
        return moment.isoformat() + "Z"
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
