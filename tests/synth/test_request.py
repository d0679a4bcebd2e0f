"""Tests for portcullis.synth.request: items, truth, and the defects each kind claims."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pytest
import usaddress

from portcullis.contract.columns import REQUEST_COLUMNS
from portcullis.synth import Population, RequestBatch, generate_request
from portcullis.synth.candidates import find_candidates
from portcullis.synth.kinds import KINDS
from portcullis.synth.mistakes import MISTAKES
from portcullis.synth.model import TRUTH_COLUMNS
from portcullis.synth.names import strip_accents
from portcullis.synth.paperwork import CIVIL_STATUTE, MAX_PERIOD_YEARS, TAX_STATUTE

from .conftest import REQUEST_SIZE

Row = dict[str, Any]
VALID_STATUTES = {"8 U.S.C. 1253(a)(1)", "8 U.S.C. 1326(a)", "18 U.S.C. 1546(a)"}
STATUTORY_KINDS = {"missing_statute", "civil_statute", "tax_statute"}


def _pairs(batch: RequestBatch) -> list[tuple[Row, Row]]:
    return list(zip(batch.items.to_pylist(), batch.truth.to_pylist(), strict=True))


def _of_kind(batch: RequestBatch, kind: str) -> list[tuple[Row, Row]]:
    pairs = [(item, truth) for item, truth in _pairs(batch) if truth["kind"] == kind]
    assert pairs, f"no {kind} items"
    return pairs


def test_items_have_the_contract_columns_as_strings(batch: RequestBatch) -> None:
    assert tuple(batch.items.schema.names) == (*REQUEST_COLUMNS, "final_order_date")
    assert all(field.type == pa.string() for field in batch.items.schema)


def test_truth_has_one_row_per_item_numbered_from_one(batch: RequestBatch) -> None:
    assert tuple(batch.truth.schema.names) == TRUTH_COLUMNS
    assert batch.truth.column("row").to_pylist() == list(range(1, REQUEST_SIZE + 1))
    assert batch.truth.column("item_id").equals(batch.items.column("item_id"))


def test_every_kind_appears_and_disclosures_are_the_majority(
    population: Population, batch: RequestBatch
) -> None:
    kinds = Counter(batch.truth.column("kind").to_pylist())
    # A kind whose people this small population lacks (near-named cousins) is written clean.
    pools = find_candidates(population).pools
    assert {kind.name for kind in KINDS if pools[kind.pool]} == set(kinds)
    outcomes = Counter(batch.truth.column("expected").to_pylist())
    assert 0.62 < outcomes["disclosed"] / REQUEST_SIZE < 0.78
    assert set(outcomes) == {"disclosed", "no_match", "refused", "ambiguous"}


def test_in_master_truth_points_at_a_real_taxpayer(
    batch: RequestBatch, people_by_id: dict[str, Row], master_by_tin: dict[str, list[Row]]
) -> None:
    for _, truth in _pairs(batch):
        person = people_by_id[truth["person_id"]]
        if truth["true_tin"] is None:
            assert not person["is_filer"]
            assert person["tin"] is None or person["tin"] not in master_by_tin
        else:
            assert person["is_filer"] and person["tin"] == truth["true_tin"]
            assert truth["true_tin"] in master_by_tin


def test_no_match_items_name_people_outside_the_master(batch: RequestBatch) -> None:
    for _, truth in _pairs(batch):
        if truth["expected"] == "no_match":
            assert truth["true_tin"] is None
            assert truth["kind"] in ("nonfiler_relative", "not_in_master")


def test_nonfiler_relatives_live_with_a_filer_of_the_same_family_name(
    batch: RequestBatch, people_by_id: dict[str, Row], master_by_tin: dict[str, list[Row]]
) -> None:
    for item, truth in _of_kind(batch, "nonfiler_relative"):
        person, relative = people_by_id[truth["person_id"]], people_by_id[truth["confusable_with"]]
        assert relative["is_filer"] and not person["is_filer"]
        assert relative["household_id"] == person["household_id"]
        last_known = master_by_tin[relative["tin"]][-1]
        assert (last_known["street"], last_known["zip"]) == (person["street"], person["zip"])
        assert item["date_of_birth"] == person["date_of_birth"]


@pytest.mark.parametrize("kind", ["twin", "jr_sr", "namesake"])
def test_lookalike_items_say_who_they_could_be_confused_with(
    batch: RequestBatch, people_by_id: dict[str, Row], kind: str
) -> None:
    for _, truth in _of_kind(batch, kind):
        person, other = people_by_id[truth["person_id"]], people_by_id[truth["confusable_with"]]
        assert other["is_filer"] and other["person_id"] != person["person_id"]
        # Each files the family name in their own style, so compare its first (paternal) part.
        plain = [strip_accents(p["last_name"]).lower().replace("-", " ") for p in (person, other)]
        assert plain[0].split()[0] == plain[1].split()[0]
        if kind == "twin":
            assert other["date_of_birth"] == person["date_of_birth"]
        else:
            assert (
                strip_accents(person["first_name"]).lower()
                == strip_accents(other["first_name"]).lower()
            )
        if kind == "namesake":
            assert other["household_id"] != person["household_id"]


def test_jr_sr_items_without_birth_date_or_tin_are_ambiguous(batch: RequestBatch) -> None:
    for item, truth in _of_kind(batch, "jr_sr"):
        bare = item["date_of_birth"] is None and item["tin"] is None
        assert (truth["expected"] == "ambiguous") == bare


def _address_given(item: Row) -> bool:
    return all(item[f] for f in ("street", "city", "state", "zip"))


Check = Callable[[Row, Row, Row], bool]
CLAIMS: dict[str, Check] = {
    "zip_only_address": lambda item, person, _: (
        bool(item["zip"])
        and not item["city"]
        and not item["state"]
        and item["street"] in (None, item["zip"])
    ),
    "placeholder_address": lambda item, person, _: (
        "UNKNOWN" in (item["street"], item["city"])
        or item["street"] == "N/A"
        or item["zip"] == "00000"
    ),
    "missing_name": lambda item, person, _: not item["first_name"] or not item["last_name"],
    "missing_statute": lambda item, person, _: item["statute"] is None,
    "missing_reason": lambda item, person, _: item["reason"] is None and bool(item["case_number"]),
    "civil_statute": lambda item, person, _: item["statute"] == CIVIL_STATUTE,
    "tax_statute": lambda item, person, _: item["statute"] == TAX_STATUTE,
    "nickname": lambda item, person, _: item["first_name"] != person["first_name"],
    "dropped_maternal_surname": lambda item, person, _: (
        bool(person["maternal_surname"])
        and len(item["last_name"]) < len(person["last_name"])
        and strip_accents(person["last_name"]).startswith(strip_accents(item["last_name"]))
    ),
    "accents_dropped": lambda item, person, _: (
        not person["last_name"].isascii()
        or not person["first_name"].isascii()
        or not (person["middle_name"] or "").isascii()
    ),
    "name_swap": lambda item, person, _: (
        item["first_name"] == person["last_name"]
        or strip_accents(item["first_name"] or "") == strip_accents(person["last_name"])
    ),
    "dob_day_month_swap": lambda item, person, _: (
        item["date_of_birth"] == _swap(person["date_of_birth"])
    ),
    "dob_year_off": lambda item, person, _: (
        item["date_of_birth"] is None
        or abs(int(item["date_of_birth"][:4]) - int(person["date_of_birth"][:4])) == 1
    ),
    "dob_missing": lambda item, person, _: item["date_of_birth"] is None,
    "former_surname": lambda item, person, _: item["last_name"] == person["former_last_name"],
    "stale_address": lambda item, person, last: (
        item["zip"][:5] != last["zip"][:5] or item["street"].upper() != last["street"].upper()
    ),
}


def _swap(iso: str) -> str:
    dob = dt.date.fromisoformat(iso)
    return dob.replace(month=dob.day, day=dob.month).isoformat()


@pytest.mark.parametrize("kind", sorted(CLAIMS))
def test_items_carry_the_defect_their_kind_claims(
    batch: RequestBatch,
    people_by_id: dict[str, Row],
    master_by_tin: dict[str, list[Row]],
    kind: str,
) -> None:
    checked = 0
    for item, truth in _of_kind(batch, kind):
        person = people_by_id[truth["person_id"]]
        last = master_by_tin[person["tin"]][-1]
        defects = set(truth["defects"].split(";"))
        assert kind in defects
        # A second realistic error may overwrite the same field; judge the kind alone.
        if kind in MISTAKES and defects & set(MISTAKES) - {kind}:
            continue
        assert CLAIMS[kind](item, person, last), (kind, item, person)
        checked += 1
    assert checked


def test_realistic_errors_are_sometimes_combined(batch: RequestBatch) -> None:
    combined = [
        truth
        for _, truth in _pairs(batch)
        if len(set(truth["defects"].split(";")) & set(MISTAKES)) >= 2
    ]
    assert len(combined) > REQUEST_SIZE * 0.05


def test_duplicate_item_ids_reuse_an_earlier_row(batch: RequestBatch) -> None:
    seen: set[str] = set()
    for item, truth in _pairs(batch):
        if truth["kind"] == "duplicate_item_id":
            assert item["item_id"] in seen
            assert truth["expected"] == "refused"
        else:
            assert item["item_id"] not in seen
        seen.add(item["item_id"])


def test_items_without_an_address_defect_have_a_full_address(batch: RequestBatch) -> None:
    for item, truth in _pairs(batch):
        if truth["kind"] not in ("zip_only_address", "placeholder_address"):
            assert _address_given(item), item


def test_no_officer_carries_more_than_the_cap(batch: RequestBatch) -> None:
    load = Counter(
        officer
        for officers in batch.items.column("recipient_officers").to_pylist()
        for officer in officers.split(";")
    )
    assert max(load.values()) <= max(5, math.ceil(REQUEST_SIZE * 40 / 5000))


def test_given_tins_are_the_persons_own_unless_planted(batch: RequestBatch) -> None:
    given = 0
    for item, truth in _pairs(batch):
        if item["tin"] and "relative_tin" not in truth["defects"]:
            given += 1
            if truth["true_tin"] is not None:
                assert item["tin"].replace("-", "") == truth["true_tin"]
    assert 0.2 * REQUEST_SIZE < given < 0.4 * REQUEST_SIZE


def test_full_addresses_parse_as_street_addresses(batch: RequestBatch) -> None:
    for item, truth in _pairs(batch):
        if truth["kind"] in ("zip_only_address", "placeholder_address"):
            continue
        parts, shape = usaddress.tag(item["street"])
        assert shape == "Street Address", item["street"]
        assert "AddressNumber" in parts and "StreetName" in parts, item["street"]
        assert len(set(item["zip"][:5])) > 1, item["zip"]


def test_paperwork_is_valid_unless_the_kind_says_otherwise(batch: RequestBatch) -> None:
    cases = batch.items.column("case_number").to_pylist()
    assert len(set(cases)) == len(cases)
    for item, truth in _pairs(batch):
        if truth["kind"] not in STATUTORY_KINDS:
            assert item["statute"] in VALID_STATUTES
        if truth["kind"] != "missing_reason":
            assert item["case_number"] in item["reason"]
        assert dt.date.fromisoformat(item["final_order_date"]) < dt.date(2026, 1, 1)
        assert item["taxable_periods"] and item["recipient_officers"]


def test_taxable_periods_cover_a_year_the_taxpayer_filed(
    batch: RequestBatch, master_by_tin: dict[str, list[Row]]
) -> None:
    for item, truth in _pairs(batch):
        if truth["true_tin"] is None:
            continue
        text = item["taxable_periods"]
        low, _, high = text.partition("-")
        years = set(range(int(low), int(high) + 1)) if high else {int(y) for y in text.split(",")}
        filed = {row["tax_year"] for row in master_by_tin[truth["true_tin"]]}
        assert years <= filed | set(range(min(filed), max(filed) + 1))
        assert years & filed
        assert len(years) <= MAX_PERIOD_YEARS


def test_same_seed_same_request_other_seed_differs(
    population: Population, batch: RequestBatch
) -> None:
    again = generate_request(population, REQUEST_SIZE, seed=12)
    assert again.items.equals(batch.items) and again.truth.equals(batch.truth)
    assert not generate_request(population, REQUEST_SIZE, seed=13).items.equals(batch.items)


def test_small_population_still_yields_a_full_request() -> None:
    from portcullis.synth import generate_population

    tiny = generate_population(5, seed=3)
    batch = generate_request(tiny, 30, seed=3)
    assert batch.items.num_rows == 30 == batch.truth.num_rows


def test_relative_tin_items_carry_the_filing_relatives_tin(
    batch: RequestBatch, people_by_id: dict[str, Row]
) -> None:
    planted = [
        (item, truth)
        for item, truth in _of_kind(batch, "nonfiler_relative")
        if "relative_tin" in truth["defects"].split(";")
    ]
    assert planted
    for item, truth in planted:
        assert str(item["tin"]).replace("-", "") == people_by_id[truth["confusable_with"]]["tin"]
        assert truth["expected"] == "no_match" and truth["true_tin"] is None
