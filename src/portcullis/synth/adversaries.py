"""Statutory defects that must get an item refused, applied to an otherwise good draft."""

from __future__ import annotations

import random
from collections.abc import Callable

from portcullis.synth.draft import Draft
from portcullis.synth.paperwork import CIVIL_STATUTE, TAX_STATUTE

Defect = Callable[[random.Random, Draft], None]
PLACEHOLDERS: tuple[str, ...] = ("UNKNOWN", "N/A", "00000")


def keep_zip_only(rng: random.Random, draft: Draft) -> None:
    """Blank every address field but the ZIP code ("a zip code is not an address")."""
    draft.item.update(street=None, unit=None, city=None, state=None)
    if rng.random() < 0.25:
        # Some requesters put the ZIP in the street box too, which is no more an address.
        draft.item["street"] = draft.item["zip"]


def use_placeholder_address(rng: random.Random, draft: Draft) -> None:
    """Replace the address, or its key part, with a placeholder such as UNKNOWN, N/A or 00000."""
    roll = rng.random()
    if roll < 0.4:
        draft.item.update(street="UNKNOWN", unit=None, city="UNKNOWN", state=None, zip="00000")
    elif roll < 0.7:
        draft.item.update(street="N/A", unit=None)
    elif roll < 0.85:
        draft.item.update(street="UNKNOWN", unit=None)
    else:
        draft.item["zip"] = "00000"


def omit_name(rng: random.Random, draft: Draft) -> None:
    """Leave out the given name, the family name, or both."""
    roll = rng.random()
    if roll < 0.4:
        draft.item["first_name"] = None
    elif roll < 0.8:
        draft.item["last_name"] = None
    else:
        draft.item.update(first_name=None, middle_name=None, last_name=None)


def omit_statute(rng: random.Random, draft: Draft) -> None:
    """Leave out the statutory authority."""
    draft.item["statute"] = None


def omit_reason(rng: random.Random, draft: Draft) -> None:
    """Leave out the reason the address is relevant."""
    draft.item["reason"] = None


def cite_civil_statute(rng: random.Random, draft: Draft) -> None:
    """Cite a civil removal ground, which is not a criminal statute."""
    draft.item["statute"] = CIVIL_STATUTE
    draft.rewrite_reason(rng)


def cite_tax_statute(rng: random.Random, draft: Draft) -> None:
    """Cite a tax crime, which section 6103(i)(2) does not cover."""
    draft.item["statute"] = TAX_STATUTE
    draft.rewrite_reason(rng)


def mark_duplicate(rng: random.Random, draft: Draft) -> None:
    """Leave the item as drafted: the batch gives it an earlier row's item id."""


ADVERSARIES: dict[str, Defect] = {
    "zip_only_address": keep_zip_only,
    "placeholder_address": use_placeholder_address,
    "missing_name": omit_name,
    "missing_statute": omit_statute,
    "missing_reason": omit_reason,
    "civil_statute": cite_civil_statute,
    "tax_statute": cite_tax_statute,
    "duplicate_item_id": mark_duplicate,
}
