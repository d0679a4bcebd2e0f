"""Tests for portcullis.synth.mistakes."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from portcullis.synth.mistakes import MISTAKES, SECOND_MISTAKES

from .subject_fixture import OLD, make_draft


@pytest.mark.parametrize(
    ("name", "field", "check"),
    [
        pytest.param("nickname", "first_name", lambda v: v == "Pepe Luis", id="nickname"),
        pytest.param(
            "dropped_maternal_surname", "last_name", lambda v: v == "García", id="maternal"
        ),
        pytest.param("accents_dropped", "first_name", lambda v: v == "Jose Luis", id="accents"),
        pytest.param("name_swap", "first_name", lambda v: v == "García López", id="swap"),
        pytest.param("dob_day_month_swap", "date_of_birth", lambda v: v == "1984-07-03", id="dm"),
        pytest.param("dob_missing", "date_of_birth", lambda v: v is None, id="dob-missing"),
        pytest.param("former_surname", "last_name", lambda v: v == "Pérez", id="former"),
        pytest.param("dob_year_off", "date_of_birth", lambda v: v[:4] in ("1983", "1985"), id="yr"),
        pytest.param("stale_address", "zip", lambda v: v[:5] == OLD.zip, id="stale"),
    ],
)
def test_mistake_changes_what_it_says(name: str, field: str, check: Callable[[Any], bool]) -> None:
    draft = make_draft()
    assert MISTAKES[name](random.Random(1), draft)
    assert check(draft.item[field])


def test_typo_changes_one_name() -> None:
    draft = make_draft()
    assert MISTAKES["typo"](random.Random(1), draft)
    names = (draft.item["first_name"], draft.item["last_name"])
    assert names != ("José Luis", "García López")


def test_stale_address_periods_reach_the_old_address_year() -> None:
    draft = make_draft()
    MISTAKES["stale_address"](random.Random(1), draft)
    assert draft.item["taxable_periods"] is not None
    assert "2022" in draft.item["taxable_periods"] or draft.item["taxable_periods"].startswith(
        ("2021-", "2022-")
    )


def test_mistakes_that_cannot_apply_say_so() -> None:
    draft = make_draft()
    draft.item["date_of_birth"] = None
    assert not MISTAKES["dob_missing"](random.Random(1), draft)
    assert not MISTAKES["dob_year_off"](random.Random(1), draft)
    assert set(SECOND_MISTAKES) <= set(MISTAKES)
