"""The ledger as a C2SP tlog-tiles log, read-only: the checkpoint, hash tiles, entry bundles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from portcullis.api.problems import ApiProblem
from portcullis.api.road import gateway_of
from portcullis.api.security import require
from portcullis.auth import Principal
from portcullis.ledger.tiles import TileNotFound

PREFIX = "/v1/ledger/tlog"
router = APIRouter(prefix=PREFIX, tags=["ledger"])

LogReader = Annotated[Principal, Depends(require("auditor", "witness"))]
# The checkpoint moves; a tile's bytes never change once its tree size is signed.
_MUTABLE = "max-age=5"
_IMMUTABLE = "max-age=31536000, immutable"


@router.get(
    "/checkpoint",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "The signed checkpoint"}},
    summary="The newest checkpoint as a signed note (tlog-tiles)",
)
def get_tlog_checkpoint(request: Request, principal: LogReader) -> Response:
    """Return the newest signed checkpoint with its cosignature lines, as text."""
    checkpoint = gateway_of(request).ledger.latest_checkpoint()
    if checkpoint is None:
        raise ApiProblem(404, "no_checkpoint", "the ledger has no signed checkpoint yet")
    return Response(
        checkpoint.note,
        media_type="text/plain; charset=utf-8",
        headers={"Cache-Control": _MUTABLE},
    )


@router.get(
    "/tile/{rest:path}",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}, "description": "A tile"}},
    summary="A hash tile or entry bundle (tlog-tiles)",
)
def get_tlog_tile(request: Request, principal: LogReader, rest: str) -> Response:
    """Return tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>] under the newest checkpoint."""
    try:
        data = gateway_of(request).ledger.tile(f"tile/{rest}")
    except TileNotFound as exc:
        raise ApiProblem(404, "no_such_tile", str(exc)) from exc
    return Response(
        data, media_type="application/octet-stream", headers={"Cache-Control": _IMMUTABLE}
    )
