"""One accounting row: an item decision as the accounting export and the reports see it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

DISCLOSED: Final = "disclosed"
REFUSED: Final = "refused"
NO_MATCH: Final = "no_match"
AMBIGUOUS: Final = "ambiguous"
PENDING_REVIEW: Final = "pending_review"
OUTCOMES: Final[tuple[str, ...]] = (DISCLOSED, REFUSED, NO_MATCH, AMBIGUOUS, PENDING_REVIEW)


@dataclass(frozen=True, slots=True)
class AccountingRow:
    """One item decision with the CONTRACT.md section 5 columns, its agency, program and statute."""

    request_id: str
    item_id: str
    outcome: str
    reason_codes: tuple[str, ...]
    tin: str | None
    street: str | None
    unit: str | None
    city: str | None
    state: str | None
    zip: str | None
    address_tax_year: int | None
    match_score: float | None
    decided_at: dt.datetime
    decided_by: str
    ledger_index: int | None
    requesting_agency: str
    program_id: str
    statute: str
    # The item's row in its request file: what tells items apart when their ids repeat or are
    # blank. None for a request refused as a whole. Not an export column.
    item_row: int | None = None

    @property
    def disclosed(self) -> bool:
        """Whether this decision released the address."""
        return self.outcome == DISCLOSED
