"""Tests for the release signature: Ed25519 over the canonical package, with a context prefix."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portcullis.keys import fingerprint
from portcullis.release.signing import (
    SIGNING_CONTEXT,
    PackageMalformedError,
    SignatureInvalidError,
    canonical_package_bytes,
    sign_package,
    verify_signed_package,
)

PACKAGE: dict[str, object] = {
    "item_id": "I-1",
    "disclosed": {"zip": "62701", "city": "Springfield"},
}


def test_canonical_bytes_sort_keys_and_drop_whitespace() -> None:
    assert canonical_package_bytes({"b": 1, "a": [True, None]}) == b'{"a":[true,null],"b":1}'


def test_canonical_bytes_refuse_values_that_are_not_json() -> None:
    with pytest.raises(PackageMalformedError):
        canonical_package_bytes({"when": object()})


def test_signed_document_verifies_and_returns_the_package(release_key: Ed25519PrivateKey) -> None:
    document = sign_package(PACKAGE, release_key)
    assert verify_signed_package(document, release_key.public_key()) == PACKAGE
    signature = json.loads(document)["signature"]
    assert signature["key_id"] == fingerprint(release_key.public_key())


def test_signature_covers_the_context_and_the_canonical_package(
    release_key: Ed25519PrivateKey,
) -> None:
    signature = json.loads(sign_package(PACKAGE, release_key))["signature"]["value"]
    message = SIGNING_CONTEXT + canonical_package_bytes(PACKAGE)
    release_key.public_key().verify(base64.b64decode(signature), message)


def test_a_changed_field_breaks_the_signature(release_key: Ed25519PrivateKey) -> None:
    document = json.loads(sign_package(PACKAGE, release_key))
    document["package"]["disclosed"]["zip"] = "10001"
    with pytest.raises(SignatureInvalidError):
        verify_signed_package(json.dumps(document).encode(), release_key.public_key())


def test_another_key_does_not_verify(release_key: Ed25519PrivateKey) -> None:
    document = sign_package(PACKAGE, release_key)
    with pytest.raises(SignatureInvalidError):
        verify_signed_package(document, Ed25519PrivateKey.generate().public_key())


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(b"\xff\xfe", id="not-utf8"),
        pytest.param(b"[]", id="not-an-object"),
        pytest.param(b'{"format":"other"}', id="wrong-format"),
        pytest.param(b'{"format":"portcullis.signed-package/v1"}', id="no-package"),
        pytest.param(
            b'{"format":"portcullis.signed-package/v1","package":{},'
            b'"signature":{"algorithm":"RSA","value":""}}',
            id="wrong-algorithm",
        ),
        pytest.param(
            b'{"format":"portcullis.signed-package/v1","package":{},'
            b'"signature":{"algorithm":"Ed25519","value":"***"}}',
            id="signature-not-base64",
        ),
    ],
)
def test_malformed_documents_fail_with_a_named_error(
    document: bytes, release_key: Ed25519PrivateKey
) -> None:
    with pytest.raises(PackageMalformedError):
        verify_signed_package(document, release_key.public_key())
