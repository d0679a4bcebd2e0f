"""POST /v1/token: client credentials for agencies, passwords for staff, limits on guessing."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt

import pytest
from fastapi import FastAPI

from portcullis.api import create_app
from portcullis.api.limits import RateLimiter
from portcullis.auth import Principal, create_account, issue_token, read_token
from portcullis.gateway import Gateway
from portcullis.workspace import Workspace
from tests.api.conftest import SETTINGS, TestClient

SECRET = "a long enough secret"


@pytest.fixture(scope="module")
def accounts(road: Gateway, agency: str) -> None:
    """One agency service account and one staff user."""
    create_account(road.engine, "ice-client", SECRET, ["requester"], kind="service", agency=agency)
    create_account(road.engine, "sam.staff", SECRET, ["auditor"])


def basic(name: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{name}:{secret}".encode()).decode()}


@pytest.mark.parametrize(
    ("form", "headers", "name"),
    [
        pytest.param({"grant_type": "client_credentials"}, basic("ice-client", SECRET),
                     "ice-client", id="client-credentials-basic"),
        pytest.param({"grant_type": "client_credentials", "client_id": "ice-client",
                      "client_secret": SECRET}, {}, "ice-client", id="client-credentials-form"),
        pytest.param({"grant_type": "password", "username": "sam.staff", "password": SECRET}, {},
                     "sam.staff", id="password"),
    ],
)  # fmt: skip
def test_good_credentials_get_a_short_lived_token(
    app: FastAPI,
    client: TestClient,
    accounts: None,
    form: dict[str, str],
    headers: dict[str, str],
    name: str,
) -> None:
    response = client.post("/v1/token", data=form, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 900)
    assert read_token(body["access_token"], app.state.token_secret).name == name


@pytest.mark.parametrize(
    ("form", "status", "code"),
    [
        pytest.param({"grant_type": "password", "username": "sam.staff", "password": "wrong one!"},
                     401, "invalid_client", id="wrong-secret"),
        pytest.param({"grant_type": "password", "username": "nobody", "password": SECRET},
                     401, "invalid_client", id="unknown-account"),
        pytest.param({"grant_type": "password", "username": "ice-client", "password": SECRET},
                     400, "unauthorized_client", id="service-account-as-user"),
        pytest.param({"grant_type": "client_credentials", "client_id": "sam.staff",
                      "client_secret": SECRET}, 400, "unauthorized_client", id="user-as-client"),
        pytest.param({"grant_type": "password"}, 400, "invalid_request", id="nothing-given"),
        pytest.param({"grant_type": "password", "username": "sam\x00staff", "password": SECRET},
                     401, "invalid_client", id="nul-in-username"),
        pytest.param({"grant_type": "client_credentials", "client_id": "\x00",
                      "client_secret": SECRET}, 401, "invalid_client", id="nul-in-client-id"),
        pytest.param({"grant_type": "implicit"}, 422, "invalid_fields", id="unknown-grant"),
    ],
)  # fmt: skip
def test_bad_credentials_get_no_token(
    client: TestClient, accounts: None, form: dict[str, str], status: int, code: str
) -> None:
    response = client.post("/v1/token", data=form)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert "access_token" not in response.json()


def test_an_expired_token_is_refused(app: FastAPI, client: TestClient) -> None:
    principal = Principal("old", "user", frozenset({"auditor"}))
    stale = issue_token(
        principal, app.state.token_secret, now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    response = client.get("/v1/oversight/access-log", headers={"Authorization": f"Bearer {stale}"})
    assert (response.status_code, response.json()["code"]) == (401, "token_invalid")


def test_a_client_over_its_rate_is_told_when_to_come_back(app: FastAPI, client: TestClient) -> None:
    principal = Principal("hasty", "user", frozenset({"auditor"}))
    auth = {"Authorization": f"Bearer {issue_token(principal, app.state.token_secret)}"}
    generous = app.state.limiter
    app.state.limiter = RateLimiter(app.state.gateway.engine, rate=0.001, burst=2)
    try:
        statuses = [client.get("/v1/programs", headers=auth).status_code for _ in range(3)]
        refused = client.get("/v1/programs", headers=auth)
        other = Principal("patient", "user", frozenset({"auditor"}))
        other_auth = {"Authorization": f"Bearer {issue_token(other, app.state.token_secret)}"}
        unaffected = client.get("/v1/programs", headers=other_auth).status_code
    finally:
        app.state.limiter = generous
    assert statuses == [200, 200, 429]
    assert refused.json()["code"] == "rate_limited" and int(refused.headers["retry-after"]) >= 1
    assert unaffected == 200  # limits are per client


def test_the_bucket_refills_with_time(app: FastAPI) -> None:
    limiter = RateLimiter(app.state.gateway.engine, rate=1.0, burst=1)
    assert limiter.take("a", now=0.0) == 0.0
    assert limiter.take("a", now=0.5) == pytest.approx(0.5)
    assert limiter.take("a", now=1.5) == 0.0


def test_two_api_processes_on_one_database_enforce_one_limit(
    api_workspace: Workspace, app: FastAPI, client: TestClient
) -> None:
    settings = dataclasses.replace(SETTINGS, requests_per_second=0.001, burst=3)
    first, second = (
        create_app(api_workspace, settings=settings),
        create_app(api_workspace, settings=settings),
    )
    principal = Principal("spread-out", "user", frozenset({"auditor"}))
    auth = {"Authorization": f"Bearer {issue_token(principal, app.state.token_secret)}"}
    with TestClient(first) as one, TestClient(second) as two:
        statuses = [
            one.get("/v1/programs", headers=auth).status_code,
            two.get("/v1/programs", headers=auth).status_code,
            one.get("/v1/programs", headers=auth).status_code,
            two.get("/v1/programs", headers=auth).status_code,
            one.get("/v1/programs", headers=auth).status_code,
        ]
    # Three tokens between both processes, not three each.
    assert statuses == [200, 200, 200, 429, 429]
