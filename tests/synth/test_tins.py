"""Tests for portcullis.synth.tins."""

from __future__ import annotations

import random

import pytest

from portcullis.synth.tins import TinIssuer, is_valid_itin, is_valid_ssn


@pytest.mark.parametrize(
    ("tin", "valid"),
    [
        pytest.param("123456789", True, id="ordinary"),
        pytest.param("000123456", False, id="area-000"),
        pytest.param("666123456", False, id="area-666"),
        pytest.param("912701234", False, id="starts-9"),
        pytest.param("123001234", False, id="group-00"),
        pytest.param("123450000", False, id="serial-0000"),
        pytest.param("12345678", False, id="eight-digits"),
    ],
)
def test_is_valid_ssn(tin: str, valid: bool) -> None:
    assert is_valid_ssn(tin) is valid


@pytest.mark.parametrize(
    ("tin", "valid"),
    [
        pytest.param("912701234", True, id="group-70"),
        pytest.param("900501234", True, id="group-50"),
        pytest.param("912931234", False, id="group-93"),
        pytest.param("912661234", False, id="group-66"),
        pytest.param("912891234", False, id="group-89"),
        pytest.param("123701234", False, id="not-9xx"),
    ],
)
def test_is_valid_itin(tin: str, valid: bool) -> None:
    assert is_valid_itin(tin) is valid


def test_issuer_never_repeats_and_keeps_shapes() -> None:
    issuer = TinIssuer(random.Random(1))
    ssns = [issuer.issue_ssn() for _ in range(3000)]
    itins = [issuer.issue_itin() for _ in range(3000)]
    assert len(set(ssns) | set(itins)) == 6000
    assert all(is_valid_ssn(t) for t in ssns)
    assert all(is_valid_itin(t) for t in itins)
