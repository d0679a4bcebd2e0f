"""The reviewer's evidence: masked TINs, agreement tones, field pairs and the address history."""

from __future__ import annotations

from typing import Any

import pytest

from portcullis.review import HeldItem
from portcullis.web.evidence import (
    address_history,
    compare_fields,
    mask_tin,
    review_card,
    tone_of,
)

REQUESTED = {
    "first_name": "Bob",
    "last_name": "Walker",
    "date_of_birth": "1988-09-15",
    "street": "12 Elm Street",
    "unit": None,
    "city": "Dayton",
    "state": "OH",
    "zip": "45402",
    "tin": None,
}
RECORDS = [
    {"first_name": "Robert", "last_name": "Walker", "name_suffix": "JR", "street": "12 Elm St",
     "unit": "", "city": "Dayton", "state": "OH", "zip": "45402", "tax_year": "2024",
     "tin": "111224444", "date_of_birth": "1988-09-15"},
    {"first_name": "Robert", "last_name": "Walker", "name_suffix": "JR", "street": "12 Elm St",
     "unit": "", "city": "Dayton", "state": "OH", "zip": "45402", "tax_year": "2023",
     "tin": "111224444", "date_of_birth": "1988-09-15"},
    {"first_name": "Robert", "last_name": "Walker", "name_suffix": "JR", "street": "3 Oak Ct",
     "unit": "Apt 2", "city": "Dayton", "state": "OH", "zip": "45403", "tax_year": "2021",
     "tin": "111224444", "date_of_birth": "1988-09-15"},
]  # fmt: skip
FIELDS: dict[str, Any] = {
    "given": {"level": "nickname", "weight": 4.0, "tf_adjustment": -1.5},
    "surname": {"level": "exact", "weight": 8.0, "tf_adjustment": -2.0},
    "suffix": {"level": "missing", "weight": 0.0},
    "dob": {"level": "exact", "weight": 14.1},
    "address": {"level": "exact", "weight": 19.2},
    "tin": {"level": "missing", "weight": 0.0},
}


@pytest.mark.parametrize(
    ("tin", "shown"),
    [
        pytest.param("222334444", "•••-••-4444", id="digits"),
        pytest.param("222-33-4444", "•••-••-4444", id="dashes"),
        pytest.param(None, "", id="none"),
        pytest.param("12", "", id="too-short-to-mask"),
    ],
)
def test_a_tin_shows_only_its_last_four_digits(tin: str | None, shown: str) -> None:
    assert mask_tin(tin) == shown


@pytest.mark.parametrize(
    ("level", "weight", "tone"),
    [
        pytest.param("exact", 6.4, "agree", id="positive"),
        pytest.param("disagree", -3.0, "differ", id="negative"),
        pytest.param("missing", 0.0, "neutral", id="missing"),
        pytest.param("fuzzy", 0.0, "neutral", id="zero"),
        pytest.param("not compared", None, "neutral", id="absent"),
    ],
)
def test_the_weight_sets_the_tone(level: str, weight: float | None, tone: str) -> None:
    assert tone_of(level, weight) == tone


def test_each_field_pairs_both_values_with_its_net_weight() -> None:
    rows = {row.label: row for row in compare_fields(REQUESTED, RECORDS[0], FIELDS)}
    given = rows["Given name"]
    assert (given.requested, given.candidate, given.level, given.tone) == (
        "Bob",
        "Robert",
        "nickname",
        "agree",
    )
    assert given.weight == pytest.approx(2.5)
    assert rows["Suffix"].candidate == "JR" and rows["Suffix"].tone == "neutral"
    assert rows["Address"].requested == "12 Elm Street, Dayton, OH 45402"
    assert rows["TIN"].candidate == "•••-••-4444"
    assert rows["Middle name"].level == "not compared"


def test_the_address_history_lists_each_address_once_newest_first() -> None:
    assert address_history(RECORDS) == (
        "12 Elm St, Dayton, OH 45402 (2024); 3 Oak Ct, Apt 2, Dayton, OH 45403 (2021)"
    )


def test_a_card_shows_the_release_address_and_the_runner_up() -> None:
    runner = {
        "tin": "111223333",
        "fields": {"dob": {"level": "disagree", "weight": -9.0}},
        "total": 2.0,
    }
    held = HeldItem(
        item_pk=7,
        request_id="REQ-1",
        row=1,
        item_id="I-1",
        reason_codes=("batch_held_for_review", "not_a_code"),
        request_item=REQUESTED,
        candidate={**RECORDS[0], "tax_year": 2024},
        match_score=0.99,
        evidence={
            "best": {"fields": FIELDS, "total": 18.3},
            "runner_up": runner,
            "thresholds": {"release": 12.0, "margin": 10.0},
        },
        findings=[],
    )
    card = review_card(held, RECORDS, [{**RECORDS[0], "first_name": "Robert", "tin": "x"}])
    assert card.release_address == "12 Elm St, Dayton, OH 45402"
    assert card.rows[5].candidate.startswith("12 Elm St, Dayton, OH 45402 (2024); 3 Oak Ct")
    assert card.runner_up_rows[-1].candidate == "•••-••-3333"
    assert [row.tone for row in card.runner_up_rows if row.label == "Date of birth"] == ["differ"]
    assert card.reasons[1] == ("not_a_code", "")
