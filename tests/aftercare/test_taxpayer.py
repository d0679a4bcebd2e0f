"""Taxpayer accounting: every release about a TIN with a proof that checks; the embargo holds."""

from __future__ import annotations

import datetime as dt

import pytest

from portcullis.aftercare.taxpayer import (
    DEFAULT_EMBARGO_DAYS,
    TinInvalid,
    is_embargoed,
    normalise_tin,
    taxpayer_accounting,
)
from portcullis.gateway import Gateway
from portcullis.ledger import verify_receipt

GARCIA = "222-33-4444"


def test_auditors_see_every_release_with_a_proof_that_checks(
    gateway: Gateway, released: str
) -> None:
    today = dt.datetime.now(dt.UTC).date()
    accounting = taxpayer_accounting(gateway, GARCIA, for_taxpayer=False, today=today)
    [release] = accounting.releases
    assert (release.request_id, release.item_id) == (released, "I-1")
    assert release.requesting_agency == "U.S. Immigration and Customs Enforcement"
    assert release.statute == "8 U.S.C. 1253(a)(1)"
    assert release.ledger_entry is not None and release.ledger_entry["outcome"] == "disclosed"
    verify_receipt(release.receipt, release.ledger_entry, gateway.ledger.public_key, {}, 0)
    shown = accounting.to_json()
    assert shown["view"] == "auditor" and shown["tin_last_four"] == "4444"
    assert "222334444" not in str(shown)


@pytest.mark.parametrize(
    ("days_later", "embargoed"),
    [
        pytest.param(0, True, id="new-release"),
        pytest.param(DEFAULT_EMBARGO_DAYS - 1, True, id="day-before-embargo-ends"),
        pytest.param(DEFAULT_EMBARGO_DAYS, False, id="embargo-over"),
    ],
)
def test_the_embargo_runs_for_its_days(days_later: int, embargoed: bool) -> None:
    released_on = dt.date(2026, 3, 2)
    today = released_on + dt.timedelta(days=days_later)
    assert is_embargoed(released_on, today, DEFAULT_EMBARGO_DAYS) is embargoed


def test_the_taxpayer_sees_a_release_only_after_the_embargo(
    gateway: Gateway, released: str
) -> None:
    today = dt.datetime.now(dt.UTC).date()
    released_on = taxpayer_accounting(gateway, GARCIA, for_taxpayer=False, today=today)
    day = released_on.releases[0].released_at.date()
    withheld = taxpayer_accounting(gateway, GARCIA, for_taxpayer=True, today=day)
    assert withheld.releases == ()
    assert "withheld" not in str(withheld.to_json())  # not even a count is given away
    later = day + dt.timedelta(days=DEFAULT_EMBARGO_DAYS)
    [shown] = taxpayer_accounting(gateway, GARCIA, for_taxpayer=True, today=later).releases
    assert shown.request_id == released and shown.ledger_entry is None
    assert shown.receipt["leaf_index"] == shown.ledger_index


@pytest.mark.parametrize(
    ("tin", "digits"),
    [
        pytest.param("222334444", "222334444", id="bare"),
        pytest.param("222-33-4444", "222334444", id="dashes"),
        pytest.param(" 222 33 4444 ", "222334444", id="spaces"),
    ],
)
def test_a_tin_may_be_written_as_people_write_it(tin: str, digits: str) -> None:
    assert normalise_tin(tin) == digits


@pytest.mark.parametrize(
    "tin",
    [
        pytest.param("22233444", id="eight-digits"),
        pytest.param("222-33-444X", id="letter"),
        pytest.param("2223344445", id="ten-digits"),
    ],
)
def test_a_tin_that_is_not_nine_digits_is_refused(tin: str) -> None:
    with pytest.raises(TinInvalid):
        normalise_tin(tin)


def test_a_program_that_hides_its_releases_never_shows_the_taxpayer(
    gateway: Gateway, released: str
) -> None:
    from portcullis.programs import change_program

    change_program(
        gateway.engine,
        "ice-address-verification",
        {"taxpayer_view": False},
        actor="admin",
        why="the agreement forbids showing taxpayers law-enforcement disclosures",
    )
    years_later = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=10 * 365)
    hidden = taxpayer_accounting(gateway, GARCIA, for_taxpayer=True, today=years_later)
    assert hidden.releases == ()
    audited = taxpayer_accounting(gateway, GARCIA, for_taxpayer=False, today=years_later)
    assert [r.request_id for r in audited.releases] == [released]


def test_an_override_can_lengthen_the_embargo_but_not_shorten_it(
    gateway: Gateway, released: str
) -> None:
    today = dt.datetime.now(dt.UTC).date()
    shorter = taxpayer_accounting(gateway, GARCIA, for_taxpayer=True, today=today, embargo_days=0)
    assert shorter.releases == ()
    after_program = today + dt.timedelta(days=DEFAULT_EMBARGO_DAYS + 1)
    longer = taxpayer_accounting(
        gateway, GARCIA, for_taxpayer=True, today=after_program, embargo_days=10_000
    )
    assert longer.releases == ()
