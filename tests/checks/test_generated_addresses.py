"""Generated adversaries: thousands of non-addresses always refused, real addresses never."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portcullis.checks import address_findings, statutory_findings
from portcullis.programs import Program
from portcullis.programs.parts import AgencyAddress

from .address_strategies import non_addresses, real_addresses
from .conftest import TODAY, good_item

ADDRESS_CODES = frozenset(
    {
        "address_incomplete",
        "address_placeholder",
        "address_street_unparseable",
        "address_state_invalid",
        "address_zip_invalid",
    }
)
MANY = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
OFFICES = (
    AgencyAddress(label="a field office", street="500 12th St SW", zip="20536"),
    AgencyAddress(label="a detention facility", street="1623 E J St Ste 2", zip="93307"),
    AgencyAddress(label="a court", street="PO Box 8002", zip="62701"),
)


@MANY
@given(address=non_addresses())
def test_a_generated_non_address_is_always_refused(address: dict[str, str | None]) -> None:
    codes = {f.code for f in address_findings(good_item(**address))}
    assert codes & ADDRESS_CODES, address


@MANY
@given(address=real_addresses())
def test_a_generated_real_address_is_never_refused(address: dict[str, str | None]) -> None:
    assert [f.message for f in address_findings(good_item(**address))] == [], address


@settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(address=real_addresses())
def test_a_real_address_passes_every_statutory_check(
    program: Program, address: dict[str, str | None]
) -> None:
    # The one check the release step re-runs, under a program that lists agency addresses.
    listed = program.model_copy(update={"agency_addresses": OFFICES})
    assert statutory_findings(good_item(**address), listed, today=TODAY) == ()


_OFFICE_LINES = st.sampled_from(
    [
        ("500 12th St SW", "20536"),
        ("500 Twelfth Street Southwest", "20536-0001"),
        ("500 12TH ST. S.W., SUITE 100", "20536"),
        ("500 12th St", "20536"),
        ("1623 E J Street", "93307"),
        ("1623 East J St Suite 2", "93307-1234"),
        ("P.O. Box 8002", "62701"),
        ("PO BOX 8002", "62701-0002"),
        ("Box 8002", "62701"),
    ]
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(line=_OFFICE_LINES, case=st.sampled_from([str.upper, str.lower, str.title]))
def test_an_agency_address_in_any_spelling_is_refused(
    program: Program, line: tuple[str, str], case: object
) -> None:
    street, zip_code = line
    listed = program.model_copy(update={"agency_addresses": OFFICES})
    item = good_item(street=case(street), zip=zip_code)  # type: ignore[operator]
    codes = [f.code for f in statutory_findings(item, listed, today=TODAY)]
    assert codes == ["address_not_taxpayers"], (street, codes)


def test_another_house_or_box_on_the_same_street_is_not_an_agency_address(
    program: Program,
) -> None:
    listed = program.model_copy(update={"agency_addresses": OFFICES})
    for street, zip_code in [("502 12th St SW", "20536"), ("PO Box 8003", "62701")]:
        item = good_item(street=street, zip=zip_code)
        assert statutory_findings(item, listed, today=dt.date(2026, 3, 1)) == ()
