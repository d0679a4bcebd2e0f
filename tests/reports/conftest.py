"""A small builder of accounting rows shared by the report tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from portcullis.reports.rows import AccountingRow

RowMaker = Callable[..., AccountingRow]


def make_row(**changes: Any) -> AccountingRow:
    values: dict[str, Any] = {
        "request_id": "R1",
        "item_id": "I1",
        "outcome": "disclosed",
        "reason_codes": (),
        "tin": "900000001",
        "street": "12 Elm St",
        "unit": None,
        "city": "Springfield",
        "state": "IL",
        "zip": "62701",
        "address_tax_year": 2024,
        "match_score": 0.97,
        "decided_at": dt.datetime(2025, 5, 1, 12, 0, tzinfo=dt.UTC),
        "decided_by": "standing-approval",
        "ledger_index": 1,
        "requesting_agency": "ICE",
        "program_id": "ice-address-verification",
        "statute": "8 U.S.C. 1253(a)(1)",
    }
    values.update(changes)
    return AccountingRow(**values)


@pytest.fixture
def row() -> RowMaker:
    return make_row
