"""The whole road on a small workspace: outcomes, the 2025 case, idempotence, crash, quorum."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from portcullis.api.outward import outward_outcome
from portcullis.contract.columns import MASTER_COLUMNS
from portcullis.gateway import Gateway
from portcullis.intake import submit_request
from portcullis.ledger.integrator import CommitSettings, NotWitnessed
from portcullis.master.loading import load_master_files
from portcullis.matching.release_line import BELOW_FLOOR_REASON, REVIEW_FLOOR
from portcullis.processing import process_request
from portcullis.programs import change_program, get_program
from portcullis.store.tables import decisions, items, releases, requests
from portcullis.submission import sign_request_file
from portcullis.workspace import Workspace

PROGRAM = "ice-address-verification"
WriteRequest = Callable[..., Path]


# A short bound, so that tests of witnesses that never answer fail closed quickly.
QUICK = CommitSettings(interval=0.01, witness_timeout=0.2, commit_timeout=0.5)


@contextmanager
def unreachable_witnesses(gateway: Gateway) -> Iterator[None]:
    """Take the gateway's witnesses away for a while (they are shared with its integrator)."""
    saved = list(gateway.witnesses)
    gateway.witnesses.clear()
    try:
        yield
    finally:
        gateway.witnesses.extend(saved)


def submit(gateway: Gateway, path: Path) -> str:
    program = get_program(gateway.engine, PROGRAM)
    signed = sign_request_file(path, program, gateway.workspace.demo_signer_key_path)
    return submit_request(gateway, path, signed).request_id


def outcomes(gateway: Gateway, request_id: str) -> list[tuple[int, str, str, str | None]]:
    query = (
        sa.select(items.c.row, decisions.c.outcome, decisions.c.reason_codes, decisions.c.tin)
        .join(decisions, decisions.c.item_pk == items.c.id)
        .where(items.c.request_id == request_id)
        .order_by(items.c.row)
    )
    with gateway.engine.connect() as con:
        return [tuple(row) for row in con.execute(query)]  # type: ignore[misc]


def count(gateway: Gateway, table: sa.Table) -> int:
    with gateway.engine.connect() as con:
        return int(con.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_requested_person_is_disclosed_with_last_known_address(
    gateway: Gateway, request_file: WriteRequest
) -> None:
    request_id = submit(gateway, request_file({}))
    report = process_request(gateway, request_id)
    assert report.outcomes == {"disclosed": 1}
    [(row, outcome, codes, tin)] = outcomes(gateway, request_id)
    assert (row, outcome, codes, tin) == (1, "disclosed", "", "222334444")
    with gateway.engine.connect() as con:
        address = con.execute(sa.select(decisions.c.address, decisions.c.address_tax_year)).one()
    assert address.address["street"] == "77 Oak Rd"  # the last known address, not the requester's
    assert address.address_tax_year == 2024
    assert report.released == 1 and count(gateway, releases) == 1


@pytest.mark.parametrize("dob", ["1979-20-08", "1979-03-|8"])
def test_an_unreadable_date_of_birth_is_ignored_not_refused(
    gateway: Gateway, request_file: WriteRequest, dob: str
) -> None:
    request_id = submit(gateway, request_file({"date_of_birth": dob}))
    process_request(gateway, request_id)
    [(_, outcome, codes, _)] = outcomes(gateway, request_id)
    # The item names the person and their address: it is matched without a birth date.
    assert outcome != "refused"
    assert "field_ignored" in codes.split(";")
    assert "field_malformed" not in codes


def test_a_zip_code_held_as_the_address_of_record_is_never_released(
    workspace: Workspace, request_file: WriteRequest, tmp_path: Path
) -> None:
    # The newest return in the requested periods carries only a ZIP code where the street belongs.
    newer = tmp_path / "newer.csv"
    newer.write_text(
        ",".join(MASTER_COLUMNS) + "\n"
        "222334444,María Guadalupe,,García López,,1979-03-08,78209,,San Antonio,TX,78209,2025\n",
        encoding="utf-8",
    )
    load_master_files(workspace, [newer])
    with Gateway.open(workspace) as gateway:
        request_id = submit(gateway, request_file({"taxable_periods": "2023-2025"}))
        report = process_request(gateway, request_id)
        [(_, outcome, codes, _)] = outcomes(gateway, request_id)
        assert (outcome, codes) == ("refused", "record_address_unusable")
        assert outward_outcome(outcome, codes.split(";")) == ("no_match", ())
        assert report.released == 0 and count(gateway, releases) == 0


def test_the_2025_case_is_refused(gateway: Gateway, request_file: WriteRequest) -> None:
    # Name + TIN + a ZIP code standing in for an address: the path that made 42,695 disclosures.
    path = request_file(
        {"tin": "222-33-4444", "street": "", "unit": "", "city": "", "zip": "78205"}
    )
    request_id = submit(gateway, path)
    report = process_request(gateway, request_id)
    assert report.outcomes == {"refused": 1}
    [(_, outcome, codes, tin)] = outcomes(gateway, request_id)
    assert outcome == "refused" and tin is None
    assert "address_incomplete" in codes.split(";")  # a ZIP code is not an address
    assert count(gateway, releases) == 0


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        pytest.param({}, "disclosed", id="clean"),
        pytest.param(
            {
                "first_name": "Sarah",
                "last_name": "Walker",
                "date_of_birth": "1995-07-11",
                "street": "12 Elm Street",
                "unit": "",
                "city": "Dayton",
                "state": "OH",
                "zip": "45402",
            },
            "no_match",
            id="relative-at-same-address-not-a-filer",
        ),
        pytest.param(
            {
                "first_name": "Robert",
                "last_name": "Walker",
                "date_of_birth": "",
                "street": "12 Elm St",
                "unit": "",
                "city": "Dayton",
                "state": "OH",
                "zip": "45402",
            },
            "ambiguous",
            id="jr-sr-without-suffix-or-dob",
        ),
        pytest.param({"statute": "26 U.S.C. 7201"}, "refused", id="tax-statute"),
        pytest.param({"street": "UNKNOWN"}, "refused", id="placeholder-address"),
    ],
)
def test_hard_cases_never_disclose_the_wrong_person(
    gateway: Gateway, request_file: WriteRequest, override: dict[str, str], expected: str
) -> None:
    request_id = submit(gateway, request_file(override))
    process_request(gateway, request_id)
    [(_, outcome, _, tin)] = outcomes(gateway, request_id)
    if expected == "ambiguous":
        assert outcome in ("ambiguous", "pending_review", "no_match")
    else:
        assert outcome == expected
    if outcome == "disclosed":
        assert tin == "222334444"


def test_processing_twice_changes_nothing(gateway: Gateway, request_file: WriteRequest) -> None:
    request_id = submit(gateway, request_file({}, {"street": "N/A"}, {"first_name": "Zed"}))
    process_request(gateway, request_id)
    before = (outcomes(gateway, request_id), gateway.ledger.size(), count(gateway, releases))
    again = process_request(gateway, request_id)
    after = (outcomes(gateway, request_id), gateway.ledger.size(), count(gateway, releases))
    assert before == after
    assert sum(again.outcomes.values()) == 0


def test_every_item_reaches_exactly_one_outcome(
    gateway: Gateway, request_file: WriteRequest
) -> None:
    path = request_file({}, {"first_name": ""}, {"zip": "00000", "street": ""}, {"item_id": "I-1"})
    request_id = submit(gateway, path)
    process_request(gateway, request_id)
    rows = outcomes(gateway, request_id)
    assert [row for row, *_ in rows] == [1, 2, 3, 4]
    assert all(
        outcome in {"disclosed", "refused", "no_match", "ambiguous", "pending_review"}
        for _, outcome, _, _ in rows
    )
    assert rows[3][1] == "refused"  # a repeated item id is refused, not silently dropped


def test_crash_before_ledger_write_is_repaired_without_duplicates(
    gateway: Gateway, request_file: WriteRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One refusal in six stays under the program's refusal-share bound, so nothing is held.
    request_id = submit(gateway, request_file({}, {}, {}, {}, {}, {"street": "UNKNOWN"}))
    size_before = gateway.ledger.size()

    def crash(*_: Any, **__: Any) -> list[int]:
        raise RuntimeError("power cut")

    monkeypatch.setattr(gateway.ledger, "integrate", crash)
    monkeypatch.setattr(gateway.integrator, "settings", QUICK)
    # The integrator's round fails; the request waits its bound and fails closed, naming why.
    with pytest.raises(NotWitnessed, match="power cut"):
        process_request(gateway, request_id)
    assert count(gateway, releases) == 0  # nothing went out without its ledger entry
    assert gateway.ledger.size() == size_before
    monkeypatch.undo()
    process_request(gateway, request_id)
    assert gateway.ledger.size() == size_before + 6
    process_request(gateway, request_id)
    assert gateway.ledger.size() == size_before + 6
    assert count(gateway, releases) == 5


def test_no_release_until_the_witness_quorum_cosigns(
    gateway: Gateway, request_file: WriteRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gateway.integrator, "settings", QUICK)
    request_id = submit(gateway, request_file({}))
    with unreachable_witnesses(gateway), pytest.raises(NotWitnessed, match="quorum"):
        process_request(gateway, request_id)
    assert outcomes(gateway, request_id)[0][1] == "disclosed"
    assert count(gateway, releases) == 0
    report = process_request(gateway, request_id)
    assert report.released == 1 and count(gateway, releases) == 1


def test_the_same_person_in_the_same_case_is_refused_in_a_later_request(
    gateway: Gateway, request_file: WriteRequest
) -> None:
    first = submit(gateway, request_file({}))
    process_request(gateway, first)
    # Another request, another item id, but the same case and person (accents and case aside).
    again = submit(
        gateway,
        request_file(
            {"item_id": "X-9", "first_name": "MARIA GUADALUPE", "last_name": "Garcia Lopez"}
        ),
    )
    process_request(gateway, again)
    [(_, outcome, codes, _)] = outcomes(gateway, again)
    assert outcome == "refused"
    assert "duplicate" in codes


def test_an_officer_over_the_open_item_cap_is_refused(
    gateway: Gateway, request_file: WriteRequest
) -> None:
    from portcullis.programs import change_program

    change_program(
        gateway.engine, PROGRAM, {"limits.max_open_items_per_officer": 1}, actor="a", why="test cap"
    )
    held = submit(gateway, request_file({"recipient_officers": "ICE-HSI-77777"}))  # stays open
    later = submit(
        gateway, request_file({"recipient_officers": "ICE-HSI-77777", "case_number": "C-2"})
    )
    process_request(gateway, later)
    [(_, outcome, codes, _)] = outcomes(gateway, later)
    assert outcome == "refused" and "officer" in codes
    assert held != later


def test_an_exclusion_added_after_the_decision_stops_the_release(
    gateway: Gateway, request_file: WriteRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portcullis.checks import add_exclusion

    monkeypatch.setattr(gateway.integrator, "settings", QUICK)
    request_id = submit(gateway, request_file({}))
    # The decision waits for its quorum, so nothing is released yet.
    with unreachable_witnesses(gateway), pytest.raises(NotWitnessed):
        process_request(gateway, request_id)
    assert outcomes(gateway, request_id)[0][1] == "disclosed"
    add_exclusion(gateway.engine, "222334444", "informant", actor="tigta", why="new informant")
    process_request(gateway, request_id)
    assert count(gateway, releases) == 0


def test_an_excluded_taxpayer_is_refused_with_a_code_that_names_no_category(
    gateway: Gateway, request_file: WriteRequest
) -> None:
    from portcullis.checks import add_exclusion

    add_exclusion(gateway.engine, "222334444", "tax_investigation", actor="ci", why="open tax case")
    request_id = submit(gateway, request_file({}))
    process_request(gateway, request_id)
    [(_, outcome, codes, _)] = outcomes(gateway, request_id)
    assert (outcome, codes) == ("refused", "withheld")
    assert count(gateway, releases) == 0


def _held_decision(gateway: Gateway, request_id: str) -> Any:
    query = (
        sa.select(decisions.c.outcome, decisions.c.tin, decisions.c.match_evidence)
        .join(items, decisions.c.item_pk == items.c.id)
        .where(items.c.request_id == request_id)
    )
    with gateway.engine.connect() as con:
        return con.execute(query).one()


def _release_estimate(gateway: Gateway, request_id: str) -> Any:
    query = sa.select(requests.c.release_estimate).where(requests.c.request_id == request_id)
    with gateway.engine.connect() as con:
        return con.execute(query).scalar_one()


def test_an_item_held_above_the_review_floor_waits_for_a_reviewer(
    gateway: Gateway, request_file: WriteRequest
) -> None:
    # No birth date: the guard holds the person (a son of the same name would look the same).
    request_id = submit(gateway, request_file({"date_of_birth": ""}))
    process_request(gateway, request_id)
    held = _held_decision(gateway, request_id)
    assert held.outcome == "pending_review" and held.tin == "222334444"
    assert held.match_evidence["posterior"] >= REVIEW_FLOOR
    estimate = _release_estimate(gateway, request_id)
    assert estimate["review_floor"] == REVIEW_FLOOR and estimate["closed_below_floor"] == 0


def test_an_item_held_below_the_programs_review_floor_ends_no_match(
    gateway: Gateway, request_file: WriteRequest
) -> None:
    # A program that sets its floor at 1 closes every held item: none is ever certain.
    change_program(
        gateway.engine,
        PROGRAM,
        {"review.match_disclose_at": 1.0, "review.match_review_at": 1.0},
        actor="test",
        why="close every held item",
    )
    request_id = submit(gateway, request_file({"date_of_birth": ""}))
    report = process_request(gateway, request_id)
    assert report.outcomes == {"no_match": 1} and report.released == 0
    closed = _held_decision(gateway, request_id)
    assert closed.outcome == "no_match" and closed.tin is None
    assert closed.match_evidence["reason"] == BELOW_FLOOR_REASON
    assert closed.match_evidence["held_for"].startswith("no agreeing date of birth")
    estimate = _release_estimate(gateway, request_id)
    assert estimate["review_floor"] == 1.0 and estimate["closed_below_floor"] == 1
    assert estimate["closed_expected_matches"] == pytest.approx(closed.match_evidence["posterior"])
