"""Checkpoint bodies: the three C2SP lines, signing, and parsing back."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portcullis.ledger.checkpoint import (
    checkpoint_body,
    open_checkpoint,
    parse_body,
    sign_checkpoint,
)
from portcullis.ledger.errors import NoteMalformed, SignatureInvalid

ROOT = bytes(range(32))


def test_body_is_origin_size_and_base64_root() -> None:
    assert (
        checkpoint_body("o.test/l", 12, ROOT)
        == f"o.test/l\n12\n{base64.b64encode(ROOT).decode()}\n"
    )


def test_signed_checkpoint_opens_with_the_ledger_key() -> None:
    key = Ed25519PrivateKey.generate()
    signed = sign_checkpoint("o.test/l", 12, ROOT, key)
    opened = open_checkpoint(signed.note, "o.test/l", key.public_key())
    assert (opened.origin, opened.size, opened.root) == ("o.test/l", 12, ROOT)


def test_a_checkpoint_for_another_origin_is_refused() -> None:
    key = Ed25519PrivateKey.generate()
    signed = sign_checkpoint("o.test/l", 12, ROOT, key)
    with pytest.raises(SignatureInvalid):
        open_checkpoint(signed.note, "other.test/l", key.public_key())


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("o\n012\n" + base64.b64encode(ROOT).decode() + "\n", id="leading-zero"),
        pytest.param("o\n-1\n" + base64.b64encode(ROOT).decode() + "\n", id="negative"),
        pytest.param("o\n1\n" + base64.b64encode(ROOT[:31]).decode() + "\n", id="short-root"),
        pytest.param("o\n1\n", id="no-root"),
        pytest.param("\n1\n" + base64.b64encode(ROOT).decode() + "\n", id="no-origin"),
    ],
)
def test_malformed_bodies_are_refused(body: str) -> None:
    with pytest.raises(NoteMalformed):
        parse_body(body)
