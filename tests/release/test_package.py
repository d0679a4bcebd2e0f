"""Tests for the disclosure package: build, seal, open, with age and with CMS."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portcullis.errors import PortcullisError
from portcullis.release.encryption import DecryptionFailedError
from portcullis.release.package import (
    EVIDENCE_STATEMENT,
    NotAReleaseViewError,
    PackageInvalidError,
    ReceiptInvalidError,
    build_package,
    open_package,
    seal_package,
)
from portcullis.release.recipients import (
    AgeIdentity,
    AgeRecipient,
    CmsIdentity,
    CmsRecipient,
    Identity,
    Recipient,
)
from portcullis.release.signing import PackageMalformedError, SignatureInvalidError
from portcullis.release.view import LAST_KNOWN_ADDRESS_FIELDS, project_release_fields

# A matched master record holding more than the ICE program may release.
MATCHED: dict[str, object] = {
    "tin": "900123456",
    "first_name": "Rosa",
    "last_name": "Nguyen",
    "date_of_birth": "1975-06-01",
    "income": 48000,
    "street": "401 Oak Ave",
    "unit": "Apt 3",
    "city": "Tucson",
    "state": "AZ",
    "zip": "85701",
    "address_tax_year": 2024,
}
RECEIPT: dict[str, object] = {"ledger_index": 41, "entry_sha256": "ab" * 32, "checkpoint": "c"}
RELEASED_AT = dt.datetime(2026, 3, 2, 14, 30, tzinfo=dt.UTC)


def make_package(**changes: Any) -> dict[str, object]:
    arguments: dict[str, Any] = {
        "request_id": "R-2026-0007",
        "item_id": "I-12",
        "program_id": "ice-address-verification",
        "recipient_officers": ["SA-1001", "SA-1002"],
        "match_confidence": 0.985,
        "receipt": RECEIPT,
        "released_at": RELEASED_AT,
        "retention_until": dt.date(2027, 3, 2),
    }
    arguments.update(changes)
    view = project_release_fields(MATCHED, LAST_KNOWN_ADDRESS_FIELDS)
    return build_package(view, **arguments)


def accept_receipt(package: Mapping[str, object]) -> bool:
    return package["receipt"] == RECEIPT


def test_package_holds_the_address_references_receipt_and_statement() -> None:
    package = make_package()
    assert package["disclosed"] == {
        "street": "401 Oak Ave",
        "unit": "Apt 3",
        "city": "Tucson",
        "state": "AZ",
        "zip": "85701",
        "address_tax_year": 2024,
    }
    assert (package["request_id"], package["item_id"]) == ("R-2026-0007", "I-12")
    assert package["receipt"] == RECEIPT
    assert package["match"] == {"confidence": 0.985, "statement": EVIDENCE_STATEMENT}
    assert package["released_at"] == "2026-03-02T14:30:00Z"
    assert package["retention_until"] == "2027-03-02"


def test_fields_outside_the_program_never_reach_the_package() -> None:
    text = json.dumps(make_package())
    for value in ("900123456", "Rosa", "Nguyen", "1975-06-01", "48000"):
        assert value not in text
    for name in ("tin", "first_name", "date_of_birth", "income"):
        assert f'"{name}"' not in text


def test_evidence_statement_demands_verification_notice_and_contest() -> None:
    statement = EVIDENCE_STATEMENT.lower()
    for phrase in ("evidence, not verification", "independently verify", "notice", "contest"):
        assert phrase in statement


def test_builder_accepts_only_a_release_view() -> None:
    with pytest.raises(NotAReleaseViewError):
        build_package(
            MATCHED,  # type: ignore[arg-type]
            request_id="R",
            item_id="I",
            program_id="P",
            recipient_officers=["SA-1"],
            match_confidence=0.9,
            receipt=RECEIPT,
            released_at=RELEASED_AT,
            retention_until=dt.date(2027, 1, 1),
        )


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"request_id": " "}, id="blank-request"),
        pytest.param({"item_id": ""}, id="blank-item"),
        pytest.param({"recipient_officers": []}, id="no-officers"),
        pytest.param({"recipient_officers": ["SA-1", " "]}, id="blank-officer"),
        pytest.param({"recipient_officers": "SA-1"}, id="officers-as-one-string"),
        pytest.param({"match_confidence": 1.5}, id="confidence-above-one"),
        pytest.param({"match_confidence": float("nan")}, id="confidence-nan"),
        pytest.param({"released_at": dt.datetime(2026, 3, 2)}, id="naive-time"),
        pytest.param({"retention_until": dt.date(2026, 3, 1)}, id="retention-before-release"),
    ],
)
def test_invalid_package_arguments_are_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(PackageInvalidError):
        make_package(**changes)


def test_receipt_must_be_plain_json() -> None:
    with pytest.raises(PackageMalformedError):
        make_package(receipt={"when": RELEASED_AT})


@pytest.fixture(params=["age", "cms"])
def channel(
    request: pytest.FixtureRequest,
    age_pair: tuple[AgeRecipient, AgeIdentity],
    cms_pair: tuple[CmsRecipient, CmsIdentity],
) -> tuple[Recipient, Identity]:
    return age_pair if request.param == "age" else cms_pair


def test_round_trip_decrypts_and_verifies_signature_and_receipt(
    channel: tuple[Recipient, Identity], release_key: Ed25519PrivateKey
) -> None:
    recipient, identity = channel
    package = make_package()
    sealed = seal_package(package, signer=release_key, recipient=recipient)
    assert b"85701" not in sealed
    opened = open_package(
        sealed,
        identity=identity,
        release_public_key=release_key.public_key(),
        verify_receipt=accept_receipt,
    )
    assert opened == package


def test_open_refuses_a_package_signed_by_another_key(
    channel: tuple[Recipient, Identity], release_key: Ed25519PrivateKey
) -> None:
    recipient, identity = channel
    sealed = seal_package(make_package(), signer=Ed25519PrivateKey.generate(), recipient=recipient)
    with pytest.raises(SignatureInvalidError):
        open_package(sealed, identity=identity, release_public_key=release_key.public_key())


def test_open_refuses_a_damaged_package(
    channel: tuple[Recipient, Identity], release_key: Ed25519PrivateKey
) -> None:
    recipient, identity = channel
    sealed = bytearray(seal_package(make_package(), signer=release_key, recipient=recipient))
    sealed[-5] ^= 0x01
    # CMS AES-CBC is not authenticated, so a flipped bit may decrypt to garbage that the
    # signature check then refuses; either way the package does not open.
    with pytest.raises((DecryptionFailedError, PackageMalformedError, SignatureInvalidError)):
        open_package(bytes(sealed), identity=identity, release_public_key=release_key.public_key())


def reject_receipt(package: Mapping[str, object]) -> bool:
    return False


class LedgerSaysNo(PortcullisError):
    """Stand-in for the ledger's own receipt failure."""


def raise_receipt(package: Mapping[str, object]) -> bool:
    raise LedgerSaysNo("entry not under the checkpoint")


@pytest.mark.parametrize(
    "checker",
    [pytest.param(reject_receipt, id="returns-false"), pytest.param(raise_receipt, id="raises")],
)
def test_open_refuses_a_receipt_the_checker_rejects(
    checker: Any, age_pair: tuple[AgeRecipient, AgeIdentity], release_key: Ed25519PrivateKey
) -> None:
    sealed = seal_package(make_package(), signer=release_key, recipient=age_pair[0])
    with pytest.raises(ReceiptInvalidError):
        open_package(
            sealed,
            identity=age_pair[1],
            release_public_key=release_key.public_key(),
            verify_receipt=checker,
        )


def test_seal_refuses_a_document_that_is_not_a_package(
    age_pair: tuple[AgeRecipient, AgeIdentity], release_key: Ed25519PrivateKey
) -> None:
    with pytest.raises(PackageMalformedError):
        seal_package({"disclosed": MATCHED}, signer=release_key, recipient=age_pair[0])
