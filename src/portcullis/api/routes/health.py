"""Liveness and readiness, for load balancers and orchestrators; no authentication."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter, Request

from portcullis.api.problems import ApiProblem
from portcullis.api.road import gateway_of
from portcullis.api.schemas import HealthOut

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthOut, summary="Liveness")
def health() -> HealthOut:
    """Answer while the process serves requests at all."""
    return HealthOut(status="ok")


@router.get(
    "/ready",
    response_model=HealthOut,
    summary="Readiness",
    responses={503: {"description": "A store cannot be reached"}},
)
def ready(request: Request) -> HealthOut:
    """Answer ok only when the state database and the master store both respond."""
    gateway = gateway_of(request)
    try:
        with gateway.engine.connect() as con:
            con.execute(sa.text("SELECT 1"))
        gateway.master.execute("SELECT 1").fetchall()
    except Exception as exc:
        raise ApiProblem(
            503, "not_ready", f"a store does not respond: {type(exc).__name__}"
        ) from exc
    return HealthOut(status="ok")
