"""A hand-made subject and draft for the item-level tests."""

from __future__ import annotations

import datetime as dt
import random

from portcullis.synth.addresses import Address
from portcullis.synth.draft import Draft, draft_item
from portcullis.synth.paperwork import OfficerRoster
from portcullis.synth.subjects import Subject

OLD = Address("12 Cedar Ln", None, "Houston", "TX", "77002")
LAST = Address("4120 Maple St", "Apt 4", "Houston", "TX", "77030")
NOW = Address("88 Bay Rd", None, "Miami", "FL", "33101")


def make_subject(current: Address = LAST) -> Subject:
    """Return a filer who moved once within the master years."""
    return Subject(
        index=7,
        person_id="P00000007",
        tin="123456789",
        is_filer=True,
        first="José Luis",
        middle="Ángel",
        last="García López",
        suffix="JR",
        dob=dt.date(1984, 3, 7),
        maternal="López",
        former="Pérez",
        current=current,
        history=((2021, OLD), (2022, OLD), (2023, LAST), (2024, LAST)),
    )


def make_draft(seed: int = 0, current: Address = LAST) -> Draft:
    """Return a fresh draft naming the subject."""
    rng = random.Random(seed)
    return draft_item(rng, make_subject(current), 41, OfficerRoster(rng, 100), tin_share=0.5)
