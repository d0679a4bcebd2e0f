"""GET /metrics in the Prometheus text format, for the operator's token or a configured network."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from portcullis.api.metrics import in_networks
from portcullis.api.problems import ApiProblem
from portcullis.api.security import current_principal, oauth2, require

router = APIRouter(tags=["operations"])
_operator = require("operator")


def admit_scraper(request: Request, authorization: Annotated[str | None, Depends(oauth2)]) -> None:
    """Admit a scraper from a configured network, else only a bearer token of the operator role."""
    client = request.client.host if request.client else None
    if in_networks(client, request.app.state.settings.metrics_networks):
        return
    if authorization is None:
        raise ApiProblem(
            401,
            "unauthenticated",
            "metrics need the operator's bearer token or a configured network",
            headers={"WWW-Authenticate": 'Bearer realm="portcullis"'},
        )
    _operator(request, current_principal(request, authorization))


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    dependencies=[Depends(admit_scraper)],
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}},
)
def metrics(request: Request) -> Response:
    """Answer the metrics in the Prometheus text exposition format."""
    return Response(generate_latest(request.app.state.metrics), media_type=CONTENT_TYPE_LATEST)
