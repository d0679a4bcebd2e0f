"""Bad input: each case is a specific 4xx problem document, never a 500, never a partial write."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI

from portcullis.api.tables import program_proposals
from portcullis.gateway import Gateway
from portcullis.store.tables import intake_events, items, requests
from tests.api.conftest import SETTINGS, Headers, SignRequest, TestClient, upload

WRITTEN = (requests, items, intake_events, program_proposals)


def snapshot(road: Gateway) -> tuple[int, ...]:
    with road.engine.connect() as con:
        return tuple(
            int(con.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
            for t in WRITTEN
        )


@pytest.fixture
def small_bodies(app: FastAPI) -> Iterator[None]:
    """Bound bodies at 1 KiB for the duration of a test."""
    app.state.settings = dataclasses.replace(SETTINGS, max_body_bytes=1024)
    yield
    app.state.settings = SETTINGS


def review(client: TestClient, make: Headers, **kwargs: Any) -> Any:
    sent = {**make("reviewer"), **kwargs.pop("headers", {})}
    return client.post("/v1/review/items/1", headers=sent, **kwargs)


def submit_json(client: TestClient, make: Headers, **kwargs: Any) -> Any:
    return client.post("/v1/requests", headers=make("requester"), **kwargs)


JSON = {"Content-Type": "application/json"}
CASES = [
    pytest.param(
        lambda c, h: review(c, h, content=b'{"approve": tru', headers=JSON),
        400, "malformed_json", id="malformed-json",
    ),
    pytest.param(
        lambda c, h: review(c, h, json={"approve": "yes", "reason": "seen the file"}),
        422, "invalid_fields", id="wrong-type",
    ),
    pytest.param(
        lambda c, h: review(c, h, json={"approve": True, "reason": "ok", "override": True}),
        422, "invalid_fields", id="unknown-field",
    ),
    pytest.param(
        lambda c, h: review(c, h, json={"approve": True}),
        422, "invalid_fields", id="missing-field",
    ),
    pytest.param(
        lambda c, h: review(c, h, content=b"approve=1", headers={"Content-Type": "text/plain"}),
        415, "unsupported_media_type", id="wrong-content-type",
    ),
    pytest.param(
        lambda c, h: submit_json(c, h, json={"file": "x", "manifest": {}}),
        415, "unsupported_media_type", id="json-instead-of-multipart",
    ),
    pytest.param(
        lambda c, h: submit_json(c, h, files={"file": ("r.csv", b"a,b\n", "text/csv")},
                                 data={"manifest": "{not json"}),
        400, "malformed_json", id="manifest-not-json",
    ),
    pytest.param(
        lambda c, h: submit_json(c, h, files={"file": ("r.csv", b"a,b\n", "text/csv")},
                                 data={"manifest": json.dumps({"manifest": {}, "signature": 1})}),
        422, "manifest_malformed", id="manifest-wrong-shape",
    ),
    pytest.param(
        lambda c, h: submit_json(c, h, data={"manifest": "{}"}, files={"note": ("n", b"", "")}),
        422, "invalid_fields", id="file-missing",
    ),
    pytest.param(
        lambda c, h: c.post("/v1/programs/ice-address-verification/proposals",
                            headers=h("program_admin"), json={"changes": [], "why": "x"}),
        422, "invalid_fields", id="changes-not-an-object",
    ),
    pytest.param(
        lambda c, h: c.post("/v1/programs/ice-address-verification/proposals",
                            headers=h("program_admin"),
                            json={"changes": {"limits.max_batch_items": -5}, "why": "test"}),
        422, "program_invalid", id="change-makes-an-invalid-program",
    ),
    pytest.param(
        lambda c, h: c.get("/v1/requests?limit=0", headers=h("auditor")),
        422, "invalid_fields", id="query-out-of-range",
    ),
    pytest.param(
        lambda c, h: c.get("/v1/nowhere", headers=h("auditor")),
        404, "not_found", id="unknown-path",
    ),
    pytest.param(
        lambda c, h: c.delete("/v1/requests", headers=h("auditor")),
        405, "method_not_allowed", id="wrong-method",
    ),
    pytest.param(
        lambda c, h: c.get("/v1/requests", headers={"Authorization": "Bearer not-a-token"}),
        401, "token_invalid", id="forged-token",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("send", "status", "code"), CASES)
def test_bad_input_gets_a_specific_problem_and_writes_nothing(
    client: TestClient, headers: Headers, road: Gateway, send: Any, status: int, code: str
) -> None:
    before = snapshot(road)
    response = send(client, headers)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert response.headers["content-type"] == "application/problem+json"
    assert set(response.json()) >= {"type", "title", "status", "detail", "code"}
    assert snapshot(road) == before


def test_an_oversized_body_is_refused_unread(
    client: TestClient, headers: Headers, signed: SignRequest, road: Gateway, small_bodies: None
) -> None:
    path, manifest = signed({})
    before = snapshot(road)
    response = client.post(
        "/v1/requests", headers=headers("requester"), **upload(path, manifest, b"x" * 4096)
    )
    assert (response.status_code, response.json()["code"]) == (413, "body_too_large")
    assert snapshot(road) == before


def test_a_body_of_unknown_length_is_refused(client: TestClient, headers: Headers) -> None:
    chunks = iter([b'{"approve": true, ', b'"reason": "ok"}'])
    response = review(client, headers, content=chunks, headers=JSON)
    assert (response.status_code, response.json()["code"]) == (411, "length_required")
