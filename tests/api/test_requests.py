"""Submitting, polling and reading requests over HTTP, as a requesting agency sees them."""

from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa
from fastapi import FastAPI

from portcullis.checks import add_exclusion
from portcullis.gateway import Gateway
from portcullis.jobs_tables import jobs
from portcullis.store.tables import intake_events, requests
from tests.api.conftest import SETTINGS, Headers, SignRequest, TestClient, upload

# A filer nobody else in this module asks for, so listing him as excluded changes no other test.
HOUSTON_MINH = {
    "first_name": "Minh",
    "last_name": "Nguyen",
    "date_of_birth": "1970-06-01",
    "street": "500 River Dr",
    "unit": "",
    "city": "Houston",
    "state": "TX",
    "zip": "77002",
}


def count(road: Gateway, table: sa.Table) -> int:
    with road.engine.connect() as con:
        return int(con.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_on_demand_request_is_answered_in_the_same_exchange(
    client: TestClient, headers: Headers, signed: SignRequest
) -> None:
    path, manifest = signed({})
    response = client.post("/v1/requests", headers=headers("requester"), **upload(path, manifest))
    assert response.status_code == 201
    body = response.json()
    assert response.headers["location"] == f"/v1/requests/{body['request_id']}"
    assert body["status"] == "done" and body["job_state"] == "done"
    [item] = body["outcomes"]
    assert (item["outcome"], item["package"]) == ("disclosed", "items/1/package")


def test_a_withheld_person_looks_like_no_match_to_the_requester(
    client: TestClient, headers: Headers, signed: SignRequest, road: Gateway
) -> None:
    add_exclusion(road.engine, "444556666", "informant", actor="ops", why="protect a source")
    path, manifest = signed(HOUSTON_MINH)
    body = client.post(
        "/v1/requests", headers=headers("requester"), **upload(path, manifest)
    ).json()
    [item] = body["outcomes"]
    assert (item["outcome"], item["reason_codes"], item["package"]) == ("no_match", [], None)
    seen_by_auditor = client.get(
        f"/v1/requests/{body['request_id']}/outcomes", headers=headers("auditor")
    ).json()
    assert seen_by_auditor["outcomes"][0]["reason_codes"] == ["withheld"]


def test_a_large_request_is_queued_for_the_worker(
    app: FastAPI,
    client: TestClient,
    headers: Headers,
    signed: SignRequest,
    road: Gateway,
) -> None:
    path, manifest = signed({}, {})
    app.state.settings = dataclasses.replace(SETTINGS, on_demand_limit=1)
    try:
        response = client.post(
            "/v1/requests", headers=headers("requester"), **upload(path, manifest)
        )
    finally:
        app.state.settings = SETTINGS
    assert response.status_code == 202
    body = response.json()
    assert (body["job_state"], body["decided"], body["outcomes"]) == ("queued", 0, None)
    query = sa.select(jobs.c.state).where(jobs.c.request_id == body["request_id"])
    with road.engine.connect() as con:
        assert con.execute(query).scalar_one() == "queued"


def test_the_same_manifest_twice_is_a_replay(
    client: TestClient, headers: Headers, signed: SignRequest, road: Gateway
) -> None:
    path, manifest = signed({})
    client.post("/v1/requests", headers=headers("requester"), **upload(path, manifest))
    before = count(road, requests)
    again = client.post("/v1/requests", headers=headers("requester"), **upload(path, manifest))
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert again.json()["code"] == "request_replayed"
    assert count(road, requests) == before


def test_a_signature_for_another_file_is_refused(
    client: TestClient, headers: Headers, signed: SignRequest, road: Gateway
) -> None:
    path, manifest = signed({})
    other, _ = signed({"first_name": "Emily", "last_name": "Walker"})
    before = (count(road, requests), count(road, intake_events))
    response = client.post(
        "/v1/requests", headers=headers("requester"), **upload(path, manifest, other.read_bytes())
    )
    assert response.status_code == 422
    assert response.json()["code"] == "file_hash_mismatch"
    # Refused as a whole: no request row, but the refusal itself is accounted for.
    assert (count(road, requests), count(road, intake_events)) == (before[0], before[1] + 1)


def test_another_agencys_manifest_is_forbidden_before_intake(
    client: TestClient, headers: Headers, signed: SignRequest, road: Gateway
) -> None:
    path, manifest = signed({})
    before = count(road, intake_events)
    response = client.post(
        "/v1/requests",
        headers=headers("requester", agency_name="Some Other Agency"),
        **upload(path, manifest),
    )
    assert (response.status_code, response.json()["code"]) == (403, "agency_mismatch")
    assert count(road, intake_events) == before


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("", id="status"),
        pytest.param("/outcomes", id="outcomes"),
        pytest.param("/items/1/package", id="package"),
        pytest.param("/items/1/receipt", id="receipt"),
    ],
)
def test_another_agency_cannot_see_a_request(
    client: TestClient, headers: Headers, signed: SignRequest, path: str
) -> None:
    file_path, manifest = signed({})
    request_id = client.post(
        "/v1/requests", headers=headers("requester"), **upload(file_path, manifest)
    ).json()["request_id"]
    stranger = headers("requester", name="other-bot", agency_name="Some Other Agency")
    response = client.get(f"/v1/requests/{request_id}{path}", headers=stranger)
    assert response.status_code == 404
    assert client.get("/v1/requests", headers=stranger).json() == {"request_ids": []}


def test_polling_shows_progress_and_the_list_holds_the_request(
    client: TestClient, headers: Headers, signed: SignRequest
) -> None:
    path, manifest = signed({"street": "N/A"})
    request_id = client.post(
        "/v1/requests", headers=headers("requester"), **upload(path, manifest)
    ).json()["request_id"]
    status = client.get(f"/v1/requests/{request_id}", headers=headers("requester")).json()
    assert (status["item_count"], status["decided"], status["outcomes"]) == (1, 1, None)
    listed = client.get("/v1/requests", headers=headers("requester")).json()
    assert listed["request_ids"][0] == request_id
