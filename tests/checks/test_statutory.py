from __future__ import annotations

import datetime as dt

import pytest

from portcullis.checks import ignored_field_notes, statutory_findings
from portcullis.contract.columns import REQUEST_COLUMNS, REQUEST_OPTIONAL
from portcullis.contract.records import FieldError
from portcullis.programs import Program
from portcullis.programs.parts import AgencyAddress

from .conftest import ItemFactory


def test_a_good_item_passes(make_item: ItemFactory, program: Program, today: dt.date) -> None:
    assert statutory_findings(make_item(), program, today=today) == ()


def test_a_field_error_names_the_field_and_row(
    make_item: ItemFactory, program: Program, today: dt.date
) -> None:
    error = FieldError(row=7, field="zip", code="malformed_zip", message="not a ZIP code")
    (found,) = statutory_findings(make_item(field_errors=(error,)), program, today=today)
    assert (found.code, found.field) == ("field_malformed", "zip")
    assert "row 7" in found.message


@pytest.mark.parametrize("field", REQUEST_OPTIONAL)
def test_an_unreadable_optional_field_is_noted_not_refused(
    make_item: ItemFactory, program: Program, today: dt.date, field: str
) -> None:
    error = FieldError(row=9, field=field, code="malformed", message="cannot be read")
    item = make_item(field_errors=(error,))
    assert statutory_findings(item, program, today=today) == ()
    (note,) = ignored_field_notes(item)
    assert (note.code, note.field) == ("field_ignored", field)
    assert "row 9" in note.message


@pytest.mark.parametrize("field", sorted(set(REQUEST_COLUMNS) - set(REQUEST_OPTIONAL)))
def test_an_unreadable_required_field_still_refuses(
    make_item: ItemFactory, program: Program, today: dt.date, field: str
) -> None:
    error = FieldError(row=3, field=field, code="malformed", message="cannot be read")
    item = make_item(field_errors=(error,))
    codes = {f.code for f in statutory_findings(item, program, today=today)}
    assert "field_malformed" in codes
    assert ignored_field_notes(item) == ()


def test_an_item_can_carry_several_findings(
    make_item: ItemFactory, program: Program, today: dt.date
) -> None:
    item = make_item(item_id=None, last_name=None, zip=None, statute="26 U.S.C. 7201", reason="x")
    codes = {f.code for f in statutory_findings(item, program, today=today)}
    assert codes == {
        "item_id_missing",
        "name_missing",
        "address_incomplete",
        "statute_tax",
        "reason_not_specific",
    }


def test_every_finding_has_a_citation(
    make_item: ItemFactory, program: Program, today: dt.date
) -> None:
    item = make_item(first_name=None, street="N/A", taxable_periods="x", recipient_officers=())
    found = statutory_findings(item, program, today=today)
    assert found
    assert all(f.citation for f in found)


def test_items_are_refused_once_the_term_has_ended(
    make_item: ItemFactory, program: Program
) -> None:
    after = program.term.end + dt.timedelta(days=1)
    found = statutory_findings(make_item(taxable_periods="2024"), program, today=after)
    assert [f.code for f in found] == ["program_out_of_term"]
    assert (
        statutory_findings(make_item(taxable_periods="2024"), program, today=program.term.end) == ()
    )


def test_an_address_the_program_lists_as_an_agency_office_is_refused(
    make_item: ItemFactory, program: Program, today: dt.date
) -> None:
    office = AgencyAddress(label="a field office", street="1000 Elm Street", zip="62701")
    listed = program.model_copy(update={"agency_addresses": (office,)})
    item = make_item(street="1000 ELM ST", zip="62701-0001")
    (found,) = statutory_findings(item, listed, today=today)
    assert (found.code, found.field) == ("address_not_taxpayers", "street")
    assert "field office" in found.message
    # The same street elsewhere, or another house on it, is somebody's home.
    assert (
        statutory_findings(make_item(street="1000 Elm St", zip="62702"), listed, today=today) == ()
    )
    assert (
        statutory_findings(make_item(street="1002 Elm St", zip="62701"), listed, today=today) == ()
    )
