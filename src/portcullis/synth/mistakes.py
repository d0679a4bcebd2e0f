"""Realistic errors applied to a drafted item; each says whether it could apply."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from portcullis.synth.address_style import ADDRESS_NOTES, restyle_address
from portcullis.synth.addresses import Address
from portcullis.synth.draft import Draft
from portcullis.synth.names import has_accents, strip_accents
from portcullis.synth.paperwork import draw_periods
from portcullis.synth.perturb import (
    add_typo,
    drop_maternal,
    shift_year,
    swap_day_month,
    transliterate,
    use_nickname,
)

Mistake = Callable[[random.Random, Draft], bool]


def misspell_name(rng: random.Random, draft: Draft) -> bool:
    """Put one typing slip into the first or the family name."""
    field = "first_name" if rng.random() < 0.5 else "last_name"
    value = draft.item[field]
    if not value:
        return False
    draft.item[field] = add_typo(rng, value)
    return draft.item[field] != value


def give_nickname(rng: random.Random, draft: Draft) -> bool:
    """Replace the given name with a nickname a matcher should know (Robert to Bob)."""
    value = draft.item["first_name"]
    nick = use_nickname(rng, value) if value else None
    if nick is None or nick == value:
        return False
    draft.item["first_name"] = nick
    return True


def romanise_differently(rng: random.Random, draft: Draft) -> bool:
    """Spell the given or family name in another common romanisation (Muhammad to Mohammed)."""
    fields = ["first_name", "last_name"]
    rng.shuffle(fields)
    for field in fields:
        value = draft.item[field]
        other = transliterate(rng, value) if value else None
        if other is not None and other != value:
            draft.item[field] = other
            return True
    return False


def drop_maternal_surname(rng: random.Random, draft: Draft) -> bool:
    """Keep only the paternal part of a compound Hispanic family name."""
    last, maternal = draft.item["last_name"], draft.subject.maternal
    if not last or not maternal:
        return False
    shorter = drop_maternal(last, maternal)
    if shorter == last:
        shorter = drop_maternal(last, strip_accents(maternal))
    draft.item["last_name"] = shorter
    return shorter != last


def drop_accents(rng: random.Random, draft: Draft) -> bool:
    """Write every name part without accents (García to Garcia, Nguyễn to Nguyen)."""
    fields = ("first_name", "middle_name", "last_name")
    if not any(has_accents(draft.item[field]) for field in fields):
        return False
    for field in fields:
        value = draft.item[field]
        draft.item[field] = strip_accents(value) if value else value
    return True


def use_former_surname(rng: random.Random, draft: Draft) -> bool:
    """Name the person by the family name on earlier returns (a maiden name), as old records do."""
    former = draft.subject.former
    if not former or not draft.item["last_name"]:
        return False
    draft.item["last_name"] = former
    return True


def swap_names(rng: random.Random, draft: Draft) -> bool:
    """Exchange the given and family names, as records keyed in the wrong order do."""
    first, last = draft.item["first_name"], draft.item["last_name"]
    if not first or not last or first == last:
        return False
    draft.item["first_name"], draft.item["last_name"] = last, first
    return True


def _dob(draft: Draft) -> dt.date | None:
    value = draft.item["date_of_birth"]
    return dt.date.fromisoformat(value) if value else None


def swap_dob_day_month(rng: random.Random, draft: Draft) -> bool:
    """Exchange day and month of the date of birth, where that makes another valid date."""
    dob = _dob(draft)
    swapped = swap_day_month(dob) if dob else None
    if swapped is None:
        return False
    draft.item["date_of_birth"] = swapped.isoformat()
    return True


def shift_dob_year(rng: random.Random, draft: Draft) -> bool:
    """Move the year of birth by one."""
    dob = _dob(draft)
    if dob is None:
        return False
    draft.item["date_of_birth"] = shift_year(rng, dob).isoformat()
    return True


def omit_dob(rng: random.Random, draft: Draft) -> bool:
    """Leave the date of birth out, keeping an address the master file knows to match on."""
    if draft.item["date_of_birth"] is None:
        return False
    draft.item["date_of_birth"] = None
    known = draft.subject.last_known
    if "address_newer_than_master" in draft.defects and known is not None:
        # Name alone cannot single anyone out; a requester with no DOB must have a filed address.
        _use_address(rng, draft, known)
    return True


def _use_address(rng: random.Random, draft: Draft, address: Address) -> None:
    styled, notes = restyle_address(rng, address)
    draft.set_address(styled)
    draft.defects[:] = [d for d in draft.defects if d not in ADDRESS_NOTES] + notes


def use_stale_address(rng: random.Random, draft: Draft) -> bool:
    """Give an earlier address of the subject from the master file instead of the last known."""
    earlier = draft.subject.earlier_addresses()
    if not earlier:
        return False
    year, address = earlier[rng.randrange(len(earlier))]
    _use_address(rng, draft, address)
    draft.item["taxable_periods"] = draw_periods(rng, draft.subject.filed_years, must_cover=year)
    return True


MISTAKES: dict[str, Mistake] = {
    "typo": misspell_name,
    "nickname": give_nickname,
    "transliteration": romanise_differently,
    "dropped_maternal_surname": drop_maternal_surname,
    "accents_dropped": drop_accents,
    "former_surname": use_former_surname,
    "name_swap": swap_names,
    "dob_day_month_swap": swap_dob_day_month,
    "dob_year_off": shift_dob_year,
    "dob_missing": omit_dob,
    "stale_address": use_stale_address,
}
# Errors that may ride along with another kind without changing who the item names.
SECOND_MISTAKES: tuple[str, ...] = (
    "typo",
    "nickname",
    "accents_dropped",
    "dob_missing",
    "dob_year_off",
    "stale_address",
)
