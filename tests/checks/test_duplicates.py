from __future__ import annotations

import pytest

from portcullis.checks import duplicate_key, normalise_case_number, normalised_name_key

from .conftest import ItemFactory


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("ERO-2026-000123", id="dashes"),
        pytest.param("ero 2026 000123", id="lower-spaced"),
        pytest.param("ERO2026000123", id="compact"),
    ],
)
def test_case_numbers_normalise_alike(text: str) -> None:
    assert normalise_case_number(text) == "ERO2026000123"
    assert normalise_case_number(normalise_case_number(text)) == "ERO2026000123"


def test_names_fold_accents_and_case(make_item: ItemFactory) -> None:
    item = make_item(first_name="José", last_name="García-López")
    assert normalised_name_key(item) == "GARCIA LOPEZ/JOSE"


def test_given_and_family_names_do_not_run_together(make_item: ItemFactory) -> None:
    one = make_item(first_name="Ana Maria", last_name="Lopez")
    other = make_item(first_name="Ana", last_name="Maria Lopez")
    assert duplicate_key(one) != duplicate_key(other)


def test_no_key_without_a_case_number(make_item: ItemFactory) -> None:
    assert duplicate_key(make_item(case_number=None)) is None
