"""Fixtures for the checks: the default program and a request item that passes every check."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portcullis.contract.records import RequestItem
from portcullis.keys import public_key_b64
from portcullis.programs import Program, default_program

TODAY = dt.date(2026, 3, 1)

ItemFactory = Callable[..., RequestItem]


@pytest.fixture(scope="session")
def signer_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="session")
def program(signer_key: Ed25519PrivateKey) -> Program:
    key = public_key_b64(signer_key.public_key())
    witness = public_key_b64(Ed25519PrivateKey.generate().public_key())
    return default_program(key, [("oversight", witness)])


def good_item(**changes: object) -> RequestItem:
    """Return an item that passes every check, with `changes` applied."""
    item = RequestItem(
        row=1,
        item_id="A-1",
        first_name="Maria",
        middle_name=None,
        last_name="Garcia Lopez",
        name_suffix=None,
        date_of_birth=dt.date(1980, 5, 17),
        tin=None,
        street="123 Main St",
        unit="Apt 4",
        city="Springfield",
        state="IL",
        zip="62701",
        taxable_periods="2023-2024",
        statute="8 U.S.C. 1253(a)(1)",
        case_number="ERO-2026-000123",
        reason="Subject of a final order of removal; wilful failure to depart under investigation",
        recipient_officers=("officer-17",),
        extra={"final_order_date": "2019-04-02"},
    )
    return dataclasses.replace(item, **changes)  # type: ignore[arg-type]


@pytest.fixture
def make_item() -> ItemFactory:
    return good_item


@pytest.fixture
def today() -> dt.date:
    return TODAY
