from __future__ import annotations

import datetime as dt

from portcullis.checks import Finding, ItemContext, check_items
from portcullis.programs import Program

from .conftest import ItemFactory


def codes(found: list[tuple[Finding, ...]]) -> list[list[str]]:
    return [[f.code for f in item] for item in found]


def test_the_officer_cap_counts_this_request(
    make_item: ItemFactory, program: Program, today: dt.date
) -> None:
    ctx = ItemContext(open_items_by_officer={"officer-17": 198}, today=today)
    items = [make_item(item_id=f"A-{n}", case_number=f"C-{n}") for n in range(4)]
    capped = ["officer_cap_exceeded"]
    assert codes(check_items(items, program, ctx)) == [[], [], capped, capped]


def test_refused_items_do_not_count_toward_the_cap(
    make_item: ItemFactory, program: Program, today: dt.date
) -> None:
    ctx = ItemContext(open_items_by_officer={"officer-17": 199}, today=today)
    items = [make_item(item_id="A-1", street=None), make_item(item_id="A-2", case_number="C-2")]
    assert codes(check_items(items, program, ctx)) == [["address_incomplete"], []]


def test_a_shared_case_number_is_refused_only_when_the_program_says_so(
    make_item: ItemFactory, program: Program, today: dt.date
) -> None:
    items = [make_item(), make_item(item_id="A-2", first_name="Jose")]
    assert codes(check_items(items, program, ItemContext(today=today))) == [[], []]
    strict = program.model_copy(
        update={
            "specificity": program.specificity.model_copy(update={"unique_case_per_item": True})
        }
    )
    assert codes(check_items(items, strict, ItemContext(today=today))) == [
        [],
        ["case_number_shared"],
    ]


def test_a_prior_duplicate_matches_however_the_case_number_is_spelled(
    make_item: ItemFactory, program: Program, today: dt.date
) -> None:
    prior = {("ero 2026 000123", "GARCIA LOPEZ/MARIA"): "R-0"}
    found = check_items([make_item()], program, ItemContext(prior_case_items=prior, today=today))
    assert codes(found) == [["item_duplicate_prior"]]
    assert "R-0" in found[0][0].message


def test_results_follow_item_order(
    make_item: ItemFactory, program: Program, today: dt.date
) -> None:
    items = [make_item(item_id="A-1", zip=None), make_item(item_id="A-2", case_number="C-2")]
    assert codes(check_items(items, program, ItemContext(today=today))) == [
        ["address_incomplete"],
        [],
    ]
