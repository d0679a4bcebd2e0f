"""Least privilege as a matrix: every role against every endpoint, and no endpoint left out."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from portcullis.auth import ROLES, Role
from tests.api.conftest import Headers, TestClient

P = "/v1/programs/ice-address-verification"
R = "/v1/requests/REQ-NONE"
MULTIPART = {"files": {"file": ("r.csv", b"a\n", "text/csv")}, "data": {"manifest": "{}"}}

# (method, path template, concrete path, request arguments, roles allowed)
MATRIX: list[tuple[str, str, str, dict[str, Any], set[Role]]] = [
    ("POST", "/v1/requests", "/v1/requests", MULTIPART, {"requester"}),
    ("POST", "/v1/items", "/v1/items", {"json": {}}, {"requester"}),
    ("GET", "/v1/requests", "/v1/requests", {}, {"requester", "operator", "auditor"}),
    ("GET", "/v1/requests/{request_id}", R, {}, {"requester", "operator", "auditor"}),
    ("GET", "/v1/requests/{request_id}/outcomes", f"{R}/outcomes", {},
     {"requester", "operator", "auditor"}),
    ("GET", "/v1/requests/{request_id}/items/{row}/package", f"{R}/items/1/package", {},
     {"requester"}),
    ("GET", "/v1/requests/{request_id}/items/{row}/receipt", f"{R}/items/1/receipt", {},
     {"requester", "auditor"}),
    ("GET", "/v1/review/queue", "/v1/review/queue", {}, {"reviewer"}),
    ("POST", "/v1/review/items/{item_pk}", "/v1/review/items/999999",
     {"json": {"approve": False, "reason": "matrix"}}, {"reviewer"}),
    ("GET", "/v1/programs", "/v1/programs", {}, {"program_admin", "operator", "auditor"}),
    ("GET", "/v1/programs/{program_id}", P, {}, {"program_admin", "operator", "auditor"}),
    ("GET", "/v1/programs/{program_id}/history", f"{P}/history", {},
     {"program_admin", "operator", "auditor"}),
    ("GET", "/v1/programs/{program_id}/proposals", f"{P}/proposals", {}, {"program_admin"}),
    ("POST", "/v1/programs/{program_id}/proposals", f"{P}/proposals",
     {"json": {"changes": {}, "why": "matrix"}}, {"program_admin"}),
    ("POST", "/v1/programs/{program_id}/proposals/{proposal_id}/confirm",
     f"{P}/proposals/999999/confirm", {}, {"program_admin"}),
    ("POST", "/v1/programs/{program_id}/suspend", f"{P}/suspend", {"json": {}},
     {"program_admin"}),
    ("GET", "/v1/ledger/checkpoint", "/v1/ledger/checkpoint", {},
     {"auditor", "witness", "operator", "requester"}),
    ("GET", "/v1/ledger/entries/{index}", "/v1/ledger/entries/0", {}, {"auditor", "witness"}),
    ("GET", "/v1/ledger/proofs/inclusion", "/v1/ledger/proofs/inclusion?index=0&size=1", {},
     {"auditor", "witness"}),
    ("GET", "/v1/ledger/proofs/consistency", "/v1/ledger/proofs/consistency?first=0&second=0",
     {}, {"auditor", "witness"}),
    ("GET", "/v1/ledger/export", "/v1/ledger/export", {}, {"auditor"}),
    ("GET", "/v1/ledger/tlog/checkpoint", "/v1/ledger/tlog/checkpoint", {},
     {"auditor", "witness"}),
    ("GET", "/v1/ledger/tlog/tile/{rest}", "/v1/ledger/tlog/tile/0/000", {},
     {"auditor", "witness"}),
    ("GET", "/v1/oversight/accounting", "/v1/oversight/accounting", {}, {"auditor"}),
    ("GET", "/v1/oversight/annual", "/v1/oversight/annual?year=2026", {}, {"auditor"}),
    ("GET", "/v1/oversight/access-log", "/v1/oversight/access-log", {}, {"auditor"}),
    ("GET", "/v1/queue", "/v1/queue", {}, {"operator", "auditor"}),
    ("POST", "/v1/queue/{request_id}/retry", "/v1/queue/REQ-NONE/retry", {}, {"operator"}),
    ("GET", "/metrics", "/metrics", {}, {"operator"}),
]  # fmt: skip
PUBLIC = {("GET", "/health"), ("GET", "/ready"), ("POST", "/v1/token")}

CASES = [
    pytest.param(method, path, kwargs, role, role in allowed, id=f"{role}-{method}-{template}")
    for method, template, path, kwargs, allowed in MATRIX
    for role in ROLES
]


@pytest.mark.parametrize(("method", "path", "kwargs", "role", "allowed"), CASES)
def test_each_role_reaches_only_its_endpoints(
    client: TestClient,
    headers: Headers,
    method: str,
    path: str,
    kwargs: dict[str, Any],
    role: Role,
    allowed: bool,
) -> None:
    response = client.request(method, path, headers=headers(role, name=f"m-{role}"), **kwargs)
    assert response.status_code < 500
    if allowed:
        assert response.status_code not in (401, 403), response.json()
    else:
        assert (response.status_code, response.json()["code"]) == (403, "role_required")


@pytest.mark.parametrize(
    ("method", "path", "kwargs"), [pytest.param(m, p, k, id=f"{m}-{t}") for m, t, p, k, _ in MATRIX]
)
def test_no_endpoint_answers_without_a_token(
    client: TestClient, method: str, path: str, kwargs: dict[str, Any]
) -> None:
    response = client.request(method, path, **kwargs)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_the_matrix_covers_every_endpoint(app: FastAPI) -> None:
    served = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    assert served - PUBLIC == {(method, template) for method, template, *_ in MATRIX}
