"""The C2SP signed-note format: key IDs, signature lines, parsing and verification."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portcullis.ledger.errors import NoteMalformed, SignatureInvalid
from portcullis.ledger.note import (
    ED25519,
    key_id,
    raw_public_key,
    sign_note,
    split_note,
    verify_note,
    vkey,
)

BODY = "example.test/log\n3\n" + base64.b64encode(bytes(32)).decode() + "\n"


def test_key_id_follows_the_c2sp_formula() -> None:
    key = Ed25519PrivateKey.generate().public_key()
    expected = hashlib.sha256(b"example.test/log\n\x01" + raw_public_key(key)).digest()[:4]
    assert key_id("example.test/log", ED25519, key) == expected


def test_vkey_names_key_id_and_typed_key() -> None:
    key = Ed25519PrivateKey.generate().public_key()
    name, ident, encoded = vkey("log", ED25519, key).split("+", 2)
    assert (name, bytes.fromhex(ident)) == ("log", key_id("log", ED25519, key))
    assert base64.b64decode(encoded) == b"\x01" + raw_public_key(key)


def test_signed_note_round_trips() -> None:
    key = Ed25519PrivateKey.generate()
    note = sign_note(BODY, "example.test/log", key)
    assert note.startswith(BODY + "\n\u2014 example.test/log ")
    assert verify_note(note, "example.test/log", key.public_key()) == BODY
    body, signatures = split_note(note)
    assert body == BODY and len(signatures) == 1 and len(signatures[0].signature) == 64


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda n: n.replace("\n3\n", "\n4\n"), id="body-edited"),
        pytest.param(
            lambda n: n.replace("\u2014 example.test/log ", "\u2014 other.test/log "), id="renamed"
        ),
    ],
)
def test_a_changed_note_fails_verification(mutate: object) -> None:
    key = Ed25519PrivateKey.generate()
    note = sign_note(BODY, "example.test/log", key)
    changed = mutate(note)  # type: ignore[operator]
    with pytest.raises((SignatureInvalid, NoteMalformed)):
        verify_note(changed, "example.test/log", key.public_key())


def test_a_signature_by_another_key_is_refused() -> None:
    note = sign_note(BODY, "example.test/log", Ed25519PrivateKey.generate())
    with pytest.raises(SignatureInvalid):
        verify_note(note, "example.test/log", Ed25519PrivateKey.generate().public_key())


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(BODY, id="no-signatures"),
        pytest.param(BODY + "\nnot a signature\n", id="no-dash"),
        pytest.param(BODY + "\n\u2014 log !!!notbase64\n", id="bad-base64"),
        pytest.param(BODY + "\n\u2014 log AAAA\n", id="too-short"),
        pytest.param(BODY + "\n\u2014 log AAAAAAAA", id="no-final-newline"),
    ],
)
def test_malformed_notes_are_named(text: str) -> None:
    with pytest.raises(NoteMalformed):
        split_note(text)
