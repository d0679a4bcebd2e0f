from __future__ import annotations

import pytest

from portcullis.checks import check_address_agreement
from portcullis.programs import Program

from .conftest import ItemFactory

OURS = {
    "street": "123 MAIN STREET",
    "unit": None,
    "city": "SPRINGFIELD",
    "state": "IL",
    "zip": "62701-1234",
}


@pytest.fixture
def strict(program: Program) -> Program:
    return program.model_copy(update={"address_must_agree": True})


def test_no_check_unless_the_program_requires_it(make_item: ItemFactory, program: Program) -> None:
    assert check_address_agreement(make_item(street="9 Oak Ave"), OURS, program) is None


def test_spelling_differences_agree(make_item: ItemFactory, strict: Program) -> None:
    assert check_address_agreement(make_item(street="123 Main St"), OURS, strict) is None


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"street": "125 Main St"}, id="house-number"),
        pytest.param({"street": "123 Elm St"}, id="street-name"),
        pytest.param({"city": "Chicago"}, id="city"),
        pytest.param({"zip": "62702"}, id="zip"),
    ],
)
def test_a_different_part_disagrees_without_saying_which(
    changes: dict[str, str], make_item: ItemFactory, strict: Program
) -> None:
    found = check_address_agreement(make_item(**changes), OURS, strict)
    assert found is not None
    assert found.code == "address_disagrees"
    assert "MAIN" not in found.message.upper()


def test_post_office_box_spellings_agree(make_item: ItemFactory, strict: Program) -> None:
    ours = {**OURS, "street": "P.O. Box 12"}
    assert check_address_agreement(make_item(street="PO Box 12"), ours, strict) is None
    assert check_address_agreement(make_item(street="PO Box 13"), ours, strict) is not None
