"""Draft a request item for a subject as a requester with ordinary records would write it."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from portcullis.contract.columns import REQUEST_COLUMNS
from portcullis.synth.address_style import restyle_address
from portcullis.synth.addresses import Address
from portcullis.synth.paperwork import (
    OfficerRoster,
    draw_order_date,
    draw_periods,
    draw_statute,
    make_case_number,
    write_reason,
)
from portcullis.synth.subjects import Subject

ITEM_COLUMNS: tuple[str, ...] = (*REQUEST_COLUMNS, "final_order_date")
Item = dict[str, str | None]
# Share of TINs a requester writes as 123-45-6789 rather than nine bare digits.
DASHED_TIN_SHARE = 0.2


@dataclass(slots=True)
class Draft:
    """An item being written, the subject it names, and every defect applied so far."""

    item: Item
    subject: Subject
    defects: list[str] = field(default_factory=list)
    expected: str | None = None  # set when a kind overrides its usual outcome

    def set_address(self, address: Address) -> None:
        """Write an address into the item's address fields."""
        self.item.update(
            street=address.street,
            unit=address.unit,
            city=address.city,
            state=address.state,
            zip=address.zip,
        )

    def rewrite_reason(self, rng: random.Random) -> None:
        """Rewrite the reason so it agrees with the statute the item now cites."""
        statute, case = self.item["statute"], self.item["case_number"]
        if statute and case and self.item["reason"]:
            order, city = self.item["final_order_date"] or "", self.subject.current.city
            self.item["reason"] = write_reason(rng, statute, case, order, city)


def _middle(rng: random.Random, middle: str | None) -> str | None:
    roll = rng.random()
    if middle is None or roll < 0.3:
        return None
    return middle[0] if roll < 0.55 else middle


def draft_item(
    rng: random.Random, subject: Subject, serial: int, roster: OfficerRoster, tin_share: float
) -> Draft:
    """Return an item naming the subject, correct except for the address styling it notes."""
    statute = draw_statute(rng)
    case = make_case_number(statute, serial)
    order = draw_order_date(rng)
    item: Item = dict.fromkeys(ITEM_COLUMNS)
    item.update(
        item_id=f"ITEM-{serial:07d}",
        first_name=subject.first,
        middle_name=_middle(rng, subject.middle),
        last_name=subject.last,
        name_suffix=subject.suffix if rng.random() < 0.75 else None,
        date_of_birth=subject.dob.isoformat(),
        tin=subject.tin if subject.tin and rng.random() < tin_share else None,
        taxable_periods=draw_periods(rng, subject.filed_years),
        statute=statute,
        case_number=case,
        reason=write_reason(rng, statute, case, order, subject.current.city),
        recipient_officers=roster.assign(),
        final_order_date=order,
    )
    draft = Draft(item, subject)
    tin = item["tin"]
    if tin is not None and rng.random() < DASHED_TIN_SHARE:
        item["tin"] = f"{tin[:3]}-{tin[3:5]}-{tin[5:]}"
        draft.defects.append("tin_dashed")
    known = subject.last_known
    address = subject.current
    if known is not None and (rng.random() < 0.75 or known == subject.current):
        address = known
    elif known is not None:
        draft.defects.append("address_newer_than_master")
    styled, notes = restyle_address(rng, address)
    draft.set_address(styled)
    draft.defects.extend(notes)
    return draft
