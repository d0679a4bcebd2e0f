"""The whole road over HTTP: a signed batch, the worker, a reviewer, the package and its receipt."""

from __future__ import annotations

import base64
import dataclasses
from typing import Any

from fastapi import FastAPI

from portcullis.auth import create_account
from portcullis.gateway import Gateway
from portcullis.keys import public_key_from_b64
from portcullis.ledger import verify_receipt
from portcullis.programs import get_program
from portcullis.release.package import open_package
from portcullis.release.recipients import load_age_identity
from portcullis.worker import work_once
from tests.api.conftest import PROGRAM, SETTINGS, SignRequest, TestClient, upload

SECRET = "a long enough secret"


def token(client: TestClient, **form: str) -> dict[str, str]:
    response = client.post("/v1/token", data=form)
    assert response.status_code == 200, response.json()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_a_signed_batch_goes_from_upload_to_a_verified_package(
    app: FastAPI, client: TestClient, road: Gateway, agency: str, signed: SignRequest
) -> None:
    create_account(road.engine, "ice-gateway", SECRET, ["requester"], kind="service",
                   agency=agency)  # fmt: skip
    create_account(road.engine, "rita.reviewer", SECRET, ["reviewer"])
    create_account(road.engine, "avery.auditor", SECRET, ["auditor"])
    basic = base64.b64encode(f"ice-gateway:{SECRET}".encode()).decode()
    response = client.post(
        "/v1/token", data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )  # fmt: skip
    agency_auth = {"Authorization": f"Bearer {response.json()['access_token']}"}
    reviewer = token(client, grant_type="password", username="rita.reviewer", password=SECRET)
    auditor = token(client, grant_type="password", username="avery.auditor", password=SECRET)

    # Five good items and two refusals: above the program's refusal share, so all are held.
    path, manifest = signed(
        {}, {}, {}, {}, {}, {"street": "UNKNOWN"}, {"zip": "00000", "street": ""}
    )
    app.state.settings = dataclasses.replace(SETTINGS, on_demand_limit=2)
    try:
        queued = client.post("/v1/requests", headers=agency_auth, **upload(path, manifest))
    finally:
        app.state.settings = SETTINGS
    assert queued.status_code == 202
    location = queued.headers["location"]
    assert work_once(road, "test-worker") == queued.json()["request_id"]
    assert client.get(location, headers=agency_auth).json()["status"] == "held"

    held = [i for i in client.get("/v1/review/queue", headers=reviewer).json()
            if i["request_id"] == queued.json()["request_id"]]  # fmt: skip
    assert len(held) == 5
    for item in held:
        settled = client.post(
            f"/v1/review/items/{item['item_pk']}", headers=reviewer,
            json={"approve": True, "reason": "address and identity confirmed against the file"},
        )  # fmt: skip
        assert settled.json()["outcome"] == "disclosed"

    outcomes = client.get(f"{location}/outcomes", headers=agency_auth).json()["outcomes"]
    assert [o["outcome"] for o in outcomes] == ["disclosed"] * 5 + ["refused"] * 2
    assert all(o["package"] for o in outcomes[:5]) and not any(o["package"] for o in outcomes[5:])

    sealed = client.get(f"{location}/{outcomes[0]['package']}", headers=agency_auth)
    assert sealed.headers["content-type"] == "application/octet-stream"
    proof = client.get(f"{location}/items/1/receipt", headers=agency_auth).json()
    checkpoint = client.get("/v1/ledger/checkpoint", headers=agency_auth).json()
    package = open_package(
        sealed.content,
        identity=load_age_identity(road.workspace.recipient_identity_path),
        release_public_key=road.release_key.public_key(),
        verify_receipt=lambda opened: _verify(opened, proof["entry"], checkpoint, road),
    )
    assert package["item_id"] == "I-1"
    # The API's receipt may rest on a newer checkpoint than the package's; both must verify.
    assert package["receipt"]["leaf_index"] == proof["receipt"]["leaf_index"]  # type: ignore[index]
    _verify(proof, proof["entry"], checkpoint, road)

    accounting = client.get("/v1/oversight/accounting", headers=auditor)
    assert accounting.text.count(queued.json()["request_id"]) == 7


def _verify(
    package: dict[str, Any], entry: dict[str, Any], checkpoint: dict[str, Any], road: Gateway
) -> None:
    witnesses = {name: public_key_from_b64(key) for name, key in checkpoint["witness_keys"].items()}
    verify_receipt(
        package["receipt"],
        entry,
        public_key_from_b64(checkpoint["ledger_public_key"]),
        witnesses,
        get_program(road.engine, PROGRAM).witness_quorum,
    )
