"""Oversight endpoints and the access log: every access is recorded, with who and what."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from portcullis.api.access_chain import AccessLogTampered, verify_access_log
from portcullis.api.tables import access_log
from portcullis.gateway import Gateway
from tests.api.conftest import Headers, TestClient


def test_every_access_is_logged_with_its_principal_and_status(
    client: TestClient, headers: Headers
) -> None:
    client.get("/v1/programs", headers=headers("operator", name="olga"))
    client.get("/v1/oversight/accounting", headers=headers("reviewer", name="rex"))
    client.get("/health")
    log = client.get("/v1/oversight/access-log?limit=3", headers=headers("auditor")).json()
    seen = [(row["principal"], row["method"], row["path"], row["status"]) for row in log]
    assert seen == [
        (None, "GET", "/health", 200),
        ("rex", "GET", "/v1/oversight/accounting", 403),
        ("olga", "GET", "/v1/programs", 200),
    ]


def test_the_access_log_is_a_hash_chain_that_shows_an_edit(
    client: TestClient, headers: Headers, road: Gateway
) -> None:
    client.get("/health")
    assert verify_access_log(road.engine) >= 1
    with road.engine.begin() as con:
        first = con.execute(sa.select(sa.func.min(access_log.c.id))).scalar_one()
        con.execute(access_log.update().where(access_log.c.id == first).values(status=200))
        con.execute(access_log.update().where(access_log.c.id == first).values(principal="x"))
    with pytest.raises(AccessLogTampered, match=f"row {first} "):
        verify_access_log(road.engine)


def test_the_accounting_and_annual_report_are_csv(client: TestClient, headers: Headers) -> None:
    accounting = client.get("/v1/oversight/accounting", headers=headers("auditor"))
    assert accounting.headers["content-type"].startswith("text/csv")
    header = next(csv.reader(io.StringIO(accounting.text)))
    assert header[:3] == ["request_id", "item_id", "outcome"]
    annual = client.get("/v1/oversight/annual?year=2026", headers=headers("auditor"))
    assert annual.status_code == 200 and annual.headers["content-type"].startswith("text/csv")


def test_health_and_readiness_need_no_token(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/ready").json() == {"status": "ok"}
