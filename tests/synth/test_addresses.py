"""Tests for portcullis.synth.addresses."""

from __future__ import annotations

import random
import re

from portcullis.synth.addresses import Address, AddressBook, draw_address


def test_address_book_round_trips() -> None:
    book = AddressBook()
    first = Address("1 Main St", None, "Boise", "ID", "83702")
    second = Address("2 Oak Ave", "Apt 3", "Miami", "FL", "33101")
    assert (book.add(first), book.add(second)) == (0, 1)
    assert book.get(1) == second and book.get(0) == first


def test_drawn_addresses_are_complete() -> None:
    rng = random.Random(4)
    for _ in range(500):
        address = draw_address(rng, "hispanic")
        number, _, name = address.street.partition(" ")
        assert number.isdigit() and name
        assert len(address.state) == 2 and address.state.isupper()
        assert re.fullmatch(r"\d{5}(-\d{4})?", address.zip)
        assert address.unit is None or address.unit.split()[0] in ("Apt", "Unit", "Lot")


def test_moves_often_stay_in_the_same_city() -> None:
    rng = random.Random(4)
    home = Address("1 Main St", None, "Dearborn", "MI", "48120")
    same = sum(draw_address(rng, "arabic", home).city == "Dearborn" for _ in range(1000))
    assert 500 < same < 800
