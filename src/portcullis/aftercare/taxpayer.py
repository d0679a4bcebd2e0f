"""Taxpayer accounting: every release about one taxpayer with its ledger proof, for auditors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

import sqlalchemy as sa

from portcullis.aftercare.moments import as_utc, utc_text
from portcullis.errors import PortcullisError
from portcullis.gateway import Gateway
from portcullis.programs import get_program
from portcullis.store.tables import decisions, items, releases, requests

# How long a release stays out of the taxpayer's own view: disclosing a law-enforcement request
# to its subject too early could warn the subject of the investigation (LEGAL.md, open question 4).
DEFAULT_EMBARGO_DAYS: Final = 365
AUDITOR: Final = "auditor"
TAXPAYER: Final = "taxpayer"


class TinInvalid(PortcullisError):
    """A taxpayer identification number is not nine digits."""


class EmbargoInvalid(PortcullisError):
    """An embargo of a negative number of days was asked for."""


@dataclass(frozen=True, slots=True)
class TaxpayerRelease:
    """One release about the taxpayer: to whom, why, when, what became of it, and its proof."""

    request_id: str
    item_id: str | None
    requesting_agency: str
    program_id: str
    statute: str
    released_at: dt.datetime
    retention_until: dt.date
    recalled_at: dt.datetime | None
    recall_reason: str | None
    disposed_at: dt.datetime | None
    ledger_index: int
    receipt: dict[str, object]
    ledger_entry: dict[str, object] | None

    def to_json(self) -> dict[str, object]:
        """Return the release as a JSON-ready object."""
        return {
            "request_id": self.request_id,
            "item_id": self.item_id,
            "requesting_agency": self.requesting_agency,
            "program_id": self.program_id,
            "statute": self.statute,
            "released_at": utc_text(self.released_at),
            "retention_until": self.retention_until.isoformat(),
            "recalled_at": utc_text(self.recalled_at) if self.recalled_at else None,
            "recall_reason": self.recall_reason,
            "disposed_at": utc_text(self.disposed_at) if self.disposed_at else None,
            "ledger_index": self.ledger_index,
            "receipt": self.receipt,
            **({"ledger_entry": self.ledger_entry} if self.ledger_entry is not None else {}),
        }


@dataclass(frozen=True, slots=True)
class TaxpayerAccounting:
    """The releases about one taxpayer as an auditor or the taxpayer may see them on one day."""

    view: str
    tin_last_four: str
    as_of: dt.date
    embargo_days: int | None
    releases: tuple[TaxpayerRelease, ...]

    def to_json(self) -> dict[str, object]:
        """Return the accounting as a JSON-ready object."""
        return {
            "view": self.view,
            "tin_last_four": self.tin_last_four,
            "as_of": self.as_of.isoformat(),
            "embargo_days": self.embargo_days,
            "releases": [release.to_json() for release in self.releases],
        }


def taxpayer_accounting(
    gateway: Gateway,
    tin: str,
    *,
    for_taxpayer: bool,
    today: dt.date,
    embargo_days: int = 0,
) -> TaxpayerAccounting:
    """Account for every release about a taxpayer; the taxpayer's view leaves out recent ones.

    Each release's own program decides how long it is withheld from the taxpayer (or forever);
    `embargo_days` can only lengthen that, never shorten it.
    """
    digits = normalise_tin(tin)
    if embargo_days < 0:
        raise EmbargoInvalid(f"an embargo of {embargo_days} days is not possible")
    query = (
        sa.select(
            releases,
            decisions.c.ledger_index,
            items.c.request_id,
            items.c.item_id,
            items.c.record,
            requests.c.requesting_agency,
            requests.c.program_id,
        )
        .join(decisions, decisions.c.item_pk == releases.c.item_pk)
        .join(items, items.c.id == releases.c.item_pk)
        .join(requests, requests.c.request_id == items.c.request_id)
        .where(decisions.c.tin == digits)
        .order_by(releases.c.released_at, items.c.request_id, items.c.row)
    )
    with gateway.engine.connect() as con:
        rows = list(con.execute(query))
    programs = {pid: get_program(gateway.engine, pid) for pid in {row.program_id for row in rows}}

    def visible(row: sa.Row[Any]) -> bool:
        program = programs[row.program_id]
        if not program.taxpayer_view:
            return False
        days = program.taxpayer_embargo_days
        released_on = as_utc(row.released_at).date()
        return not is_embargoed(released_on, today, max(days, embargo_days))

    shown = [
        _release(gateway, row, with_entry=not for_taxpayer)
        for row in rows
        if not for_taxpayer or visible(row)
    ]
    return TaxpayerAccounting(
        view=TAXPAYER if for_taxpayer else AUDITOR,
        tin_last_four=digits[-4:],
        as_of=today,
        embargo_days=embargo_days if for_taxpayer else None,
        releases=tuple(shown),
    )


def normalise_tin(tin: str) -> str:
    """Return the nine digits of a TIN written with or without dashes and spaces."""
    if len(tin) > 20 or any(char not in "0123456789- " for char in tin):
        raise TinInvalid("a TIN is nine digits (dashes and spaces allowed)")
    digits = tin.replace("-", "").replace(" ", "")
    if len(digits) != 9:
        raise TinInvalid("a TIN is nine digits (dashes and spaces allowed)")
    return digits


def is_embargoed(released_on: dt.date, today: dt.date, embargo_days: int) -> bool:
    """Tell whether a release made on `released_on` is still withheld from the taxpayer `today`."""
    return (today - released_on).days < embargo_days


def _release(gateway: Gateway, row: sa.Row[Any], *, with_entry: bool) -> TaxpayerRelease:
    # The ledger entry names the recipient officers: auditors need it to check the proof,
    # the taxpayer's view carries the proof without it.
    return TaxpayerRelease(
        request_id=row.request_id,
        item_id=row.item_id,
        requesting_agency=row.requesting_agency or "",
        program_id=row.program_id,
        statute=str((row.record or {}).get("statute") or ""),
        released_at=as_utc(row.released_at),
        retention_until=as_utc(row.retention_until).date(),
        recalled_at=as_utc(row.recalled_at) if row.recalled_at is not None else None,
        recall_reason=row.recall_reason,
        disposed_at=as_utc(row.disposed_at) if row.disposed_at is not None else None,
        ledger_index=row.ledger_index,
        receipt=gateway.ledger.receipt(row.ledger_index).to_json(),
        ledger_entry=gateway.ledger.entry(row.ledger_index) if with_entry else None,
    )
