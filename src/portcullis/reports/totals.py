"""The one definition of a period's totals: items by outcome, releases, refusals by reason, recalls.

The annual report folds its accounting rows into `Totals` and the dashboard folds the database's
tallies into it, so both count by the same rule: an item counts once, under its last decision,
and a refused item counts once under each reason code it carries.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import Engine

from portcullis.errors import PortcullisError
from portcullis.reports.rows import (
    AMBIGUOUS,
    DISCLOSED,
    NO_MATCH,
    OUTCOMES,
    PENDING_REVIEW,
    REFUSED,
)
from portcullis.store.tables import releases

# The reason code of a request refused as a whole when intake named none.
REQUEST_REFUSED = "request_refused"


class OutcomeUnknownError(PortcullisError):
    """An accounting row carries an outcome the contract does not define."""


@dataclass(slots=True)
class Totals:
    """Items by outcome, refusals by reason code and recalls over one period."""

    outcomes: Counter[str] = field(default_factory=Counter)
    refusal_reasons: Counter[str] = field(default_factory=Counter)
    recalls: int = 0

    def count(self, outcome: str, codes: Iterable[str], number: int = 1, *, what: str = "") -> None:
        """Count `number` items decided with `outcome` and the reason codes `codes`."""
        if outcome not in OUTCOMES:
            raise OutcomeUnknownError(f"{what or 'a decision'}: outcome {outcome!r}")
        self.outcomes[outcome] += number
        if outcome == REFUSED:
            for code in {c for c in codes if c}:
                self.refusal_reasons[code] += number

    @property
    def items(self) -> int:
        """Every item decided, whatever the outcome."""
        return sum(self.outcomes.values())

    @property
    def releases(self) -> int:
        """Items whose address was released."""
        return self.outcomes[DISCLOSED]

    @property
    def refusals(self) -> int:
        """Items refused."""
        return self.outcomes[REFUSED]

    @property
    def no_match(self) -> int:
        """Items for which no taxpayer matched."""
        return self.outcomes[NO_MATCH]

    @property
    def ambiguous(self) -> int:
        """Items that matched more than one taxpayer."""
        return self.outcomes[AMBIGUOUS]

    @property
    def pending_review(self) -> int:
        """Items waiting for a reviewer."""
        return self.outcomes[PENDING_REVIEW]


def count_recalls(engine: Engine, start: dt.datetime, end: dt.datetime) -> int:
    """Count the released packages recalled in [start, end)."""
    query = sa.select(sa.func.count()).where(
        releases.c.recalled_at >= start, releases.c.recalled_at < end
    )
    with engine.connect() as con:
        return int(con.execute(query).scalar_one())
