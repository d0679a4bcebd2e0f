"""The 6103(i)(6) screen: never disclose what would identify an informant or impair a tax case."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import UTC, datetime
from typing import Literal, get_args

from sqlalchemy import Engine, select

from portcullis.checks.findings import Finding, finding
from portcullis.checks.tables import check_exclusions
from portcullis.errors import PortcullisError

ExclusionCategory = Literal["informant", "tax_investigation"]
# The finding says only "withheld": neither the category nor the list is named, so that even
# an operator-facing message copied to the requester reveals nothing.
WITHHELD_MESSAGE = "withheld"


class ExclusionInvalid(PortcullisError):
    """An exclusion entry lacks a 9-digit TIN, a known category, an actor or a reason."""


def screen_taxpayer(tin: str, excluded: Collection[str]) -> Finding | None:
    """Return a silent 'withheld' finding when the matched taxpayer is on the exclusion list."""
    return finding("withheld", WITHHELD_MESSAGE) if tin in excluded else None


def add_exclusion(
    engine: Engine, tin: str, category: ExclusionCategory, *, actor: str, why: str
) -> None:
    """Put a taxpayer on the exclusion list; adding one already listed changes nothing."""
    if not re.fullmatch(r"\d{9}", tin):
        raise ExclusionInvalid("an exclusion needs a 9-digit TIN")
    if category not in get_args(ExclusionCategory):
        raise ExclusionInvalid(f"unknown exclusion category {category!r}")
    if not actor.strip() or not why.strip():
        raise ExclusionInvalid("an exclusion must name who added it and why")
    row = {"tin": tin, "category": category, "added_at": datetime.now(UTC), "actor": actor}
    with engine.begin() as conn:
        exists = conn.execute(
            select(check_exclusions.c.tin).where(check_exclusions.c.tin == tin)
        ).first()
        if exists is not None:
            return  # listed already: the first entry's who, when and why stand
        conn.execute(check_exclusions.insert().values(**row, why=why))


def load_exclusions(engine: Engine) -> frozenset[str]:
    """Return every excluded TIN."""
    with engine.connect() as conn:
        return frozenset(conn.execute(select(check_exclusions.c.tin)).scalars())
