"""Column names of the contract's files (CONTRACT.md sections 1, 2 and 5)."""

from __future__ import annotations

MASTER_COLUMNS: tuple[str, ...] = (
    "tin",
    "first_name",
    "middle_name",
    "last_name",
    "name_suffix",
    "date_of_birth",
    "street",
    "unit",
    "city",
    "state",
    "zip",
    "tax_year",
)
MASTER_REQUIRED: tuple[str, ...] = (
    "tin",
    "first_name",
    "last_name",
    "street",
    "city",
    "state",
    "zip",
    "tax_year",
)

REQUEST_COLUMNS: tuple[str, ...] = (
    "item_id",
    "first_name",
    "middle_name",
    "last_name",
    "name_suffix",
    "date_of_birth",
    "tin",
    "street",
    "unit",
    "city",
    "state",
    "zip",
    "taxable_periods",
    "statute",
    "case_number",
    "reason",
    "recipient_officers",
)
# Optional fields of an item (CONTRACT.md section 2): one that cannot be read is treated as not
# given (reason code field_ignored), never as a refusal; any other unreadable field refuses.
REQUEST_OPTIONAL: tuple[str, ...] = ("middle_name", "name_suffix", "date_of_birth", "tin", "unit")
# Columns whose absence from the header makes the whole file unreadable as a request: without
# them no item could ever pass, so the file is refused as a whole rather than item by item.
REQUEST_HEADER_REQUIRED: tuple[str, ...] = ("item_id", "first_name", "last_name")

ACCOUNTING_COLUMNS: tuple[str, ...] = (
    "request_id",
    "item_id",
    "outcome",
    "reason_codes",
    "tin",
    "street",
    "unit",
    "city",
    "state",
    "zip",
    "address_tax_year",
    "match_score",
    "decided_at",
    "decided_by",
    "ledger_index",
)
