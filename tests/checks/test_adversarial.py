"""Each legal requirement on an item or request: one case refused, a near-identical one passing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portcullis.checks import (
    CertificationMissing,
    ItemContext,
    ItemCountMismatch,
    RequestRefused,
    SignatureInvalid,
    SignerNotAuthorized,
    check_batch,
    check_items,
    statutory_findings,
    verify_request,
)
from portcullis.contract.manifest import build_manifest, file_sha256, sign_manifest
from portcullis.programs import Program

from .conftest import ItemFactory

# Ids start with the requirement's row: r1 signer, r2 officers, r3 name, r4 address, r5 periods,
# r6 statute, r7 case and reason, r8 certification, r12 batch, r13 safeguards, r20 court order.
PAIRS = [
    # Row 3: name of the taxpayer.
    pytest.param(
        {"first_name": None}, {"first_name": "Maria"}, "name_missing", id="r3-given-name-missing"
    ),
    pytest.param(
        {"last_name": "UNKNOWN"},
        {"last_name": "Na"},
        "name_placeholder",
        id="r3-family-name-placeholder",
    ),
    pytest.param({"first_name": "FNU"}, {"first_name": "Fu"}, "name_placeholder", id="r3-fnu"),
    # Row 4: address of the taxpayer; a ZIP is not an address.
    pytest.param(
        {"street": None, "city": None, "state": None}, {}, "address_incomplete", id="r4-zip-only"
    ),
    pytest.param(
        {"street": None, "zip": None, "state": None}, {}, "address_incomplete", id="r4-city-only"
    ),
    pytest.param(
        {"street": "62701"},
        {"street": "62 Elm St"},
        "address_street_unparseable",
        id="r4-zip-in-street",
    ),
    pytest.param(
        {"street": "Springfield"},
        {"street": "1 Springfield Rd"},
        "address_street_unparseable",
        id="r4-city-in-street",
    ),
    pytest.param(
        {"street": "UNKNOWN"},
        {"street": "PO Box 12"},
        "address_placeholder",
        id="r4-street-unknown",
    ),
    pytest.param(
        {"street": "N/A"}, {"street": "7 N A St"}, "address_placeholder", id="r4-street-na"
    ),
    pytest.param({"zip": "00000"}, {"zip": "00501"}, "address_placeholder", id="r4-zip-zeros"),
    pytest.param({"city": "N/A"}, {"city": "Na Ville"}, "address_placeholder", id="r4-city-na"),
    pytest.param({"state": "ZZ"}, {"state": "PR"}, "address_state_invalid", id="r4-state-unknown"),
    pytest.param({"zip": "6270"}, {"zip": "62701-1234"}, "address_zip_invalid", id="r4-zip-short"),
    # Row 5: taxable periods.
    pytest.param(
        {"taxable_periods": None}, {"taxable_periods": "2024"}, "periods_missing", id="r5-no-period"
    ),
    pytest.param(
        {"taxable_periods": "2027"},
        {"taxable_periods": "2026"},
        "periods_invalid",
        id="r5-future-year",
    ),
    pytest.param(
        {"taxable_periods": "1989"},
        {"taxable_periods": "1990"},
        "periods_invalid",
        id="r5-before-earliest",
    ),
    pytest.param(
        {"taxable_periods": "2016-2024"},
        {"taxable_periods": "2019-2024"},
        "periods_invalid",
        id="r5-too-many-years",
    ),
    pytest.param(
        {"taxable_periods": "last year"},
        {"taxable_periods": "2023, 2024"},
        "periods_invalid",
        id="r5-not-years",
    ),
    # Row 6: a designated criminal, non-tax statute on the allow-list.
    pytest.param({"statute": None}, {}, "statute_missing", id="r6-no-statute"),
    pytest.param(
        {"statute": "8 U.S.C. 1227(a)(1)(B)"},
        {"statute": "8 USC 1326(a)"},
        "statute_civil",
        id="r6-civil-removability",
    ),
    pytest.param(
        {"statute": "26 U.S.C. 7201"},
        {"statute": "18 U.S.C. § 1546(a)"},
        "statute_tax",
        id="r6-tax-statute",
    ),
    pytest.param(
        {"statute": "18 U.S.C. 1001"},
        {"statute": "8 U.S.C. 1253(a)(1)(A)"},
        "statute_not_allowed",
        id="r6-not-on-allow-list",
    ),
    pytest.param(
        {"statute": "the INA"},
        {"statute": "8 U.S.C.A. 1253(a)(1)"},
        "statute_unparseable",
        id="r6-not-a-citation",
    ),
    # Row 7: specific reasons and a case number.
    pytest.param(
        {"case_number": None}, {"case_number": "X-1"}, "case_number_missing", id="r7-no-case"
    ),
    pytest.param(
        {"case_number": "N/A"},
        {"case_number": "NA-0001"},
        "case_number_missing",
        id="r7-case-placeholder",
    ),
    pytest.param({"reason": None}, {}, "reason_missing", id="r7-no-reason"),
    pytest.param(
        {"reason": "investigation"},
        {"reason": "Final order 2019; remained past departure date"},
        "reason_not_specific",
        id="r7-vague-reason",
    ),
    # Row 2: recipient officers personally and directly engaged.
    pytest.param(
        {"recipient_officers": ()},
        {"recipient_officers": ("o-1", "o-2")},
        "officers_missing",
        id="r2-no-officer",
    ),
    # Program-required columns (ICE: final_order_date).
    pytest.param(
        {"extra": {}},
        {"extra": {"final_order_date": "2020-01-01", "note": "x"}},
        "column_missing",
        id="program-required-column",
    ),
]


@pytest.mark.parametrize(("refused", "passes", "code"), PAIRS)
def test_item_pair(
    refused: dict[str, object],
    passes: dict[str, object],
    code: str,
    make_item: ItemFactory,
    program: Program,
    today: dt.date,
) -> None:
    assert code in {f.code for f in statutory_findings(make_item(**refused), program, today=today)}
    assert statutory_findings(make_item(**passes), program, today=today) == ()


def test_2025_case_name_tin_and_zip_only_is_refused(
    make_item: ItemFactory, program: Program, today: dt.date
) -> None:
    item = make_item(tin="123456789", street=None, unit=None, city=None, state=None, zip="62701")
    codes = [f.code for f in statutory_findings(item, program, today=today)]
    assert codes.count("address_incomplete") == 3
    assert check_items([item], program, ItemContext(today=today)) != [()]


@pytest.mark.parametrize(
    "tin", [pytest.param("123456789", id="tin-given"), pytest.param(None, id="tin-absent")]
)
@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({}, id="complete"),
        pytest.param({"street": "00000"}, id="zero-street"),
        pytest.param({"first_name": None}, id="no-name"),
        pytest.param({"street": None, "city": None}, id="no-street-city"),
    ],
)
def test_a_tin_never_changes_the_name_or_address_verdict(
    tin: str | None,
    changes: dict[str, object],
    make_item: ItemFactory,
    program: Program,
    today: dt.date,
) -> None:
    with_tin = statutory_findings(make_item(tin=tin, **changes), program, today=today)
    without = statutory_findings(make_item(tin=None, **changes), program, today=today)
    assert with_tin == without


@pytest.mark.parametrize(
    ("context", "code"),
    [
        pytest.param(
            ItemContext(open_items_by_officer={"officer-17": 200}),
            "officer_cap_exceeded",
            id="r2-officer-cap",
        ),
        pytest.param(
            ItemContext(prior_case_items={("ERO-2026-000123", "GARCIA LOPEZ/MARIA"): "R-9"}),
            "item_duplicate_prior",
            id="dup-across-requests",
        ),
    ],
)
def test_context_pair(
    context: ItemContext, code: str, make_item: ItemFactory, program: Program, today: dt.date
) -> None:
    dated = dataclasses.replace(context, today=today)
    assert [f.code for f in check_items([make_item()], program, dated)[0]] == [code]
    assert check_items([make_item()], program, ItemContext(today=today)) == [()]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        pytest.param(
            {"suspension": {"order_reference": "No. 25-cv-4242 (D.D.C.)", "since": "2026-02-26"}},
            "program_suspended",
            id="r20-court-order",
        ),
        pytest.param(
            {"safeguards": {"open_findings": True, "corrective_plan": False}},
            "safeguards_open",
            id="r13-open-safeguards",
        ),
    ],
)
def test_program_status_pair(
    change: dict[str, object], code: str, make_item: ItemFactory, program: Program, today: dt.date
) -> None:
    stopped = Program.model_validate({**program.model_dump(mode="json"), **change})
    assert [f.code for f in statutory_findings(make_item(), stopped, today=today)] == [code]
    assert statutory_findings(make_item(), program, today=today) == ()


def test_suspension_names_the_order(
    make_item: ItemFactory, program: Program, today: dt.date
) -> None:
    suspension = {"order_reference": "No. 25-cv-4242", "since": "2026-02-26"}
    stopped = Program.model_validate({**program.model_dump(mode="json"), "suspension": suspension})
    (found,) = statutory_findings(make_item(), stopped, today=today)
    assert "No. 25-cv-4242" in found.message


def test_open_safeguards_with_a_corrective_plan_pass(
    make_item: ItemFactory, program: Program, today: dt.date
) -> None:
    safeguards = {"open_findings": True, "corrective_plan": True}
    planned = Program.model_validate({**program.model_dump(mode="json"), "safeguards": safeguards})
    assert statutory_findings(make_item(), planned, today=today) == ()


def test_duplicates_within_a_request(
    make_item: ItemFactory, program: Program, today: dt.date
) -> None:
    items = [make_item(), make_item(item_id="A-2"), make_item(item_id="A-1", case_number="C-7")]
    codes = [
        [f.code for f in found] for found in check_items(items, program, ItemContext(today=today))
    ]
    assert codes == [[], ["item_duplicate"], ["item_id_duplicate"]]


REQUEST_FILE = b"item_id,first_name\nA-1,Maria\n"
RECEIVED = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def sign_request(key: Ed25519PrivateKey, program: Program, **changes: Any) -> dict[str, Any]:
    signer = program.signers[0]
    fields: dict[str, Any] = {
        "request_id": "R-1",
        "program_id": program.id,
        "requesting_agency": program.requesting_agency,
        "signer_name": signer.name,
        "signer_title": signer.title,
        "key_id": signer.key_id,
        "certification": "Used solely for the criminal matter named in the item.",
        "item_count": 1,
        "created_at": RECEIVED - dt.timedelta(minutes=10),
    }
    fields.update(changes)
    return sign_manifest(build_manifest(REQUEST_FILE, **fields), key)


@pytest.mark.parametrize(
    ("refused", "refusal"),
    [
        pytest.param({"key_id": "ice-field-office"}, SignerNotAuthorized, id="r1-unknown-signer"),
        pytest.param({"signer_title": "Deputy Director"}, SignerNotAuthorized, id="r1-other-title"),
        pytest.param({"certification": "n/a"}, CertificationMissing, id="r8-empty-certification"),
        pytest.param({"item_count": 2}, ItemCountMismatch, id="r12-count-differs"),
    ],
)  # fmt: skip
def test_request_pair(
    refused: dict[str, Any],
    refusal: type[RequestRefused],
    signer_key: Ed25519PrivateKey,
    program: Program,
) -> None:
    with pytest.raises(refusal):
        verify_request(
            sign_request(signer_key, program, **refused),
            file_sha256(REQUEST_FILE),
            program,
            now=RECEIVED,
            items_read=1,
        )
    sound = sign_request(signer_key, program)
    assert verify_request(sound, file_sha256(REQUEST_FILE), program, now=RECEIVED, items_read=1)


def test_r1_a_forged_signature_is_refused(signer_key: Ed25519PrivateKey, program: Program) -> None:
    forged = sign_request(Ed25519PrivateKey.generate(), program)
    with pytest.raises(SignatureInvalid):
        verify_request(forged, file_sha256(REQUEST_FILE), program, now=RECEIVED, items_read=1)


@pytest.mark.parametrize(
    ("refused", "hold"),
    [
        pytest.param(3, True, id="r12-refusal-share-holds"),
        pytest.param(2, False, id="r12-share-ok"),
    ],
)
def test_r12_refusal_share(refused: int, hold: bool, make_item: ItemFactory, program: Program,
                           today: dt.date) -> None:  # fmt: skip
    items = [
        make_item(
            item_id=f"A-{n}", case_number=f"C-{n}", street=None if n < refused else "1 Elm St"
        )
        for n in range(10)
    ]
    assert check_batch(check_items(items, program, ItemContext(today=today)), program).hold is hold


LIMITS = ("max_batch_items", "max_signer_items_per_day", "max_open_items_per_officer")
SETTINGS = [
    pytest.param({"address_must_agree": flag}, id=f"address-must-agree-{flag}")
    for flag in (True, False)
] + [
    pytest.param({"signer_policy": "component_head_by_delegation"}, id="signer-policy"),
    pytest.param({"specificity": {"min_reason_length": 1}}, id="lax-reason"),
    pytest.param({"periods": {"earliest_tax_year": 1913, "max_years": 200}}, id="lax-periods"),
    pytest.param({"safeguards": {"open_findings": True, "corrective_plan": True}}, id="planned"),
    pytest.param({"required_columns": []}, id="no-required-columns"),
    pytest.param({"limits": dict.fromkeys(LIMITS, 10**9)}, id="no-limits"),
]  # fmt: skip


@pytest.mark.parametrize("setting", SETTINGS)
def test_no_program_setting_lets_the_2025_case_through(
    setting: dict[str, object], make_item: ItemFactory, program: Program, today: dt.date
) -> None:
    relaxed = Program.model_validate({**program.model_dump(mode="json"), **setting})
    item = make_item(tin="123456789", street=None, unit=None, city=None, state=None, zip="62701")
    found = check_items([item], relaxed, ItemContext(today=today))[0]
    assert {f.field for f in found if f.code == "address_incomplete"} == {"street", "city", "state"}


def test_the_checks_take_no_switch() -> None:
    assert [f.name for f in dataclasses.fields(ItemContext)] == [
        "open_items_by_officer",
        "prior_case_items",
        "today",
    ]
    assert list(inspect.signature(statutory_findings).parameters) == ["item", "program", "today"]
