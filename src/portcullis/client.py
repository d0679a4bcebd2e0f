"""A requesting agency's client: sign one item as a written request and ask the gateway about it.

`AgencySigner.item_request` makes the body of `POST /v1/items` (docs/api.md): the contract's
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
from portcullis.errors import PortcullisError
from portcullis.item_request import ITEM_FILE_NAME, item_file_bytes
from portcullis.keys import public_key_b64
from portcullis.programs import Program
from portcullis.submission import DEFAULT_CERTIFICATION

Item = Mapping[str, str | None]


class SignerNotInProgram(PortcullisError):
    """The key is not registered as a signer of the program."""


@dataclass(frozen=True, slots=True)
class AgencySigner:
    """An agency's authorized official, as the program registers them, with their private key."""

    key: Ed25519PrivateKey
    program_id: str
    requesting_agency: str
    name: str
    title: str
    key_id: str
    certification: str = DEFAULT_CERTIFICATION

    @classmethod
    def for_program(cls, program: Program, key: Ed25519PrivateKey) -> AgencySigner:
        """Return the signer of `program` whose registered public key is `key`'s."""
        public = public_key_b64(key.public_key())
        signer = next((s for s in program.signers if s.public_key == public), None)
        if signer is None:
            raise SignerNotInProgram(f"the key is not a registered signer of program {program.id}")
        return cls(key, program.id, program.requesting_agency, signer.name, signer.title,
                   signer.key_id)  # fmt: skip

    def item_request(
        self, item: Item, *, request_id: str | None = None, created_at: dt.datetime | None = None
    ) -> dict[str, Any]:
        """Return the signed body of `POST /v1/items` asking about one item."""
        manifest = build_manifest(
            item_file_bytes(item),
            request_id=request_id or f"REQ-{uuid.uuid4().hex[:16].upper()}",
            program_id=self.program_id,
            requesting_agency=self.requesting_agency,
            signer_name=self.name,
            signer_title=self.title,
            key_id=self.key_id,
            certification=self.certification,
            item_count=1,
            created_at=created_at or dt.datetime.now(dt.UTC),
        )
        signed = sign_manifest(manifest, self.key)
        return {"manifest": manifest, "item": dict(item), "signature": signed["signature"]}


def multipart_request(body: Mapping[str, Any]) -> dict[str, Any]:
    """Return httpx's `files` and `data` sending a single-item body to `POST /v1/requests`."""
    signed = {"manifest": body["manifest"], "signature": body["signature"]}
    return {
        "files": {"file": (ITEM_FILE_NAME, item_file_bytes(body["item"]), "application/jsonl")},
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
