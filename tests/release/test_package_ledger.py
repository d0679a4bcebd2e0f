"""Round trip of a package whose receipt the real ledger issued and verifies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portcullis.release.package import (
    ReceiptInvalidError,
    build_package,
    open_package,
    seal_package,
)
from portcullis.release.recipients import AgeIdentity, AgeRecipient
from portcullis.release.view import LAST_KNOWN_ADDRESS_FIELDS, project_release_fields

ledger_module = pytest.importorskip("portcullis.ledger")
tables_module = pytest.importorskip("portcullis.ledger.tables")
sqlalchemy = pytest.importorskip("sqlalchemy")

DECISION = {"request_id": "R-9", "item_id": "I-3", "outcome": "disclosed", "program": "ice"}
OTHER = {"request_id": "R-9", "item_id": "I-4", "outcome": "refused", "program": "ice"}


@pytest.fixture
def ledger_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def receipt(ledger_key: Ed25519PrivateKey) -> dict[str, object]:
    engine = sqlalchemy.create_engine("sqlite://")
    tables_module.create_ledger_tables(engine)
    ledger = ledger_module.Ledger(engine, ledger_key, "portcullis.test/ledger")
    index = ledger.append(DECISION, decision_key="R-9/I-3")
    ledger.append(OTHER, decision_key="R-9/I-4")
    ledger.checkpoint()
    issued: dict[str, object] = ledger.receipt(index).to_json()
    return issued


def sealed_with(
    receipt: dict[str, object], release_key: Ed25519PrivateKey, recipient: AgeRecipient
) -> bytes:
    view = project_release_fields(
        {"street": "9 Pine Rd", "zip": "05401"}, LAST_KNOWN_ADDRESS_FIELDS
    )
    package = build_package(
        view,
        request_id="R-9",
        item_id="I-3",
        program_id="ice",
        recipient_officers=["SA-7"],
        match_confidence=0.99,
        receipt=receipt,
        released_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
        retention_until=dt.date(2027, 3, 2),
    )
    return seal_package(package, signer=release_key, recipient=recipient)


@pytest.mark.parametrize(
    ("entry", "accepted"),
    [
        pytest.param(DECISION, True, id="the-recorded-decision"),
        pytest.param(OTHER, False, id="another-decision"),
    ],
)
def test_real_ledger_receipt_is_checked_on_open(
    entry: Mapping[str, object],
    accepted: bool,
    receipt: dict[str, object],
    ledger_key: Ed25519PrivateKey,
    release_key: Ed25519PrivateKey,
    age_pair: tuple[AgeRecipient, AgeIdentity],
) -> None:
    def check(package: Mapping[str, object]) -> None:
        ledger_module.verify_receipt(package["receipt"], entry, ledger_key.public_key(), {}, 0)

    def open_sealed() -> dict[str, object]:
        return open_package(
            sealed_with(receipt, release_key, age_pair[0]),
            identity=age_pair[1],
            release_public_key=release_key.public_key(),
            verify_receipt=check,
        )

    if accepted:
        assert open_sealed()["item_id"] == "I-3"
    else:
        with pytest.raises(ReceiptInvalidError):
            open_sealed()
