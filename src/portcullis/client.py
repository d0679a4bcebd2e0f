"""A requesting agency's client: sign one item as a written request and ask the gateway about it.

`build_single_item_request` makes the body of `POST /v1/items` (docs/api.md): the contract's
manifest for a one-item request file (the item's RFC 8785 canonical JSON), the item, and the
Ed25519 signature over the manifest's canonical JSON. `GatewayClient` sends it and returns the
answer; sending the same body again is safe and returns the same answer.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portcullis.contract.manifest import build_manifest, sign_manifest
from portcullis.item_request import ITEM_FILE_NAME, item_file_bytes
from portcullis.submission import DEFAULT_CERTIFICATION


def _signed_manifest(
    file_bytes: bytes,
    key: Ed25519PrivateKey,
    *,
    request_id: str | None,
    program_id: str,
    requesting_agency: str,
    signer_name: str,
    signer_title: str,
    key_id: str,
    certification: str,
    created_at: dt.datetime | None,
) -> dict[str, Any]:
    manifest = build_manifest(
        file_bytes,
        request_id=request_id or f"REQ-{uuid.uuid4().hex[:16].upper()}",
        program_id=program_id,
        requesting_agency=requesting_agency,
        signer_name=signer_name,
        signer_title=signer_title,
        key_id=key_id,
        certification=certification,
        item_count=1,
        created_at=created_at or dt.datetime.now(dt.UTC),
    )
    return sign_manifest(manifest, key)


def build_single_item_request(
    item: Mapping[str, str | None],
    key: Ed25519PrivateKey,
    *,
    program_id: str,
    requesting_agency: str,
    signer_name: str,
    signer_title: str,
    key_id: str,
    request_id: str | None = None,
    certification: str = DEFAULT_CERTIFICATION,
    created_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """Return the signed body of `POST /v1/items` asking about one item."""
    signed = _signed_manifest(
        item_file_bytes(item),
        key,
        request_id=request_id,
        program_id=program_id,
        requesting_agency=requesting_agency,
        signer_name=signer_name,
        signer_title=signer_title,
        key_id=key_id,
        certification=certification,
        created_at=created_at,
    )
    return {"manifest": signed["manifest"], "item": dict(item), "signature": signed["signature"]}


def multipart_request(
    item: Mapping[str, str | None],
    key: Ed25519PrivateKey,
    *,
    program_id: str,
    requesting_agency: str,
    signer_name: str,
    signer_title: str,
    key_id: str,
    request_id: str | None = None,
    certification: str = DEFAULT_CERTIFICATION,
    created_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """Return httpx's `files` and `data` for `POST /v1/requests` with the same one-item file."""
    body = build_single_item_request(
        item,
        key,
        program_id=program_id,
        requesting_agency=requesting_agency,
        signer_name=signer_name,
        signer_title=signer_title,
        key_id=key_id,
        request_id=request_id,
        certification=certification,
        created_at=created_at,
    )
    signed = {"manifest": body["manifest"], "signature": body["signature"]}
    return {
        "files": {"file": (ITEM_FILE_NAME, item_file_bytes(item), "application/jsonl")},
        "data": {"manifest": json.dumps(signed)},
    }


@dataclass(frozen=True, slots=True)
class ItemAnswer:
    """The gateway's answer about one item: the outcome, and when released the package."""

    status: int
    body: dict[str, Any]

    @property
    def outcome(self) -> str | None:
        """The item's outcome as the requester may see it."""
        outcome: str | None = self.body.get("item", {}).get("outcome")
        return outcome

    @property
    def package(self) -> bytes | None:
        """The sealed package (age or CMS bytes), when the address was released."""
        encoded = self.body.get("package")
        return None if encoded is None else base64.b64decode(encoded)


class GatewayClient:
    """Talks to one gateway with one bearer token."""

    def __init__(self, base_url: str, token: str, *, http: httpx.Client | None = None) -> None:
        self._http = http or httpx.Client(base_url=base_url, timeout=60)
        self._headers = {"Authorization": f"Bearer {token}"}

    @classmethod
    def with_client_credentials(
        cls, base_url: str, client_id: str, secret: str, *, http: httpx.Client | None = None
    ) -> GatewayClient:
        """Obtain a token with OAuth 2.0 client credentials and return a client that uses it."""
        session = http or httpx.Client(base_url=base_url, timeout=60)
        answer = session.post(
            "/v1/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
        )
        answer.raise_for_status()
        return cls(base_url, str(answer.json()["access_token"]), http=session)

    def ask(self, body: Mapping[str, Any]) -> ItemAnswer:
        """Send a signed single-item request and return the answer (errors are problem bodies)."""
        answer = self._http.post("/v1/items", json=dict(body), headers=self._headers)
        return ItemAnswer(answer.status_code, answer.json())

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._http.close()
