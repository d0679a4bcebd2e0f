"""The single-item door: one signed item in, its decision, sealed package and receipt out."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from portcullis.api.lookup import request_items
from portcullis.api.problems import ApiProblem
from portcullis.api.road import gateway_of
from portcullis.api.routes.requests import item_out, own_agency, visible_request
from portcullis.api.schemas import ItemAnswerOut, ItemRequestIn
from portcullis.api.security import require
from portcullis.api.submitting import submit_item
from portcullis.api.transport import require_media
from portcullis.auth import Principal

router = APIRouter(prefix="/v1/items", tags=["requests"])

Requester = Annotated[Principal, Depends(require("requester"))]


@router.post(
    "",
    status_code=201,
    response_model=ItemAnswerOut,
    dependencies=[Depends(require_media("application/json"))],
    responses={
        200: {"model": ItemAnswerOut, "description": "The same request again: the same answer"},
        409: {"description": "Another request was already submitted under this request id"},
        503: {"description": "Decided, but not yet under a witnessed checkpoint; ask again"},
    },
    summary="Ask about one signed item",
)
async def ask_item(request: Request, principal: Requester, body: ItemRequestIn) -> JSONResponse:
    """Decide one signed item in this exchange and answer with its package and receipt."""
    gateway = gateway_of(request)
    document = body.model_dump(mode="json")
    handled = await to_thread.run_sync(
        lambda: submit_item(
            gateway, principal, document, wait=gateway.integrator.settings.commit_timeout
        )
    )
    if not handled.processed:
        raise ApiProblem(
            503, "answer_pending", f"request {handled.request_id} is recorded but not answered"
        )
    answer = _answer(request, principal, handled.request_id)
    status = 200 if handled.repeated else 201
    headers = {"Location": f"/v1/requests/{handled.request_id}"}
    return JSONResponse(answer.model_dump(mode="json"), status_code=status, headers=headers)


def _answer(request: Request, principal: Principal, request_id: str) -> ItemAnswerOut:
    view = visible_request(request, principal, request_id)
    (item,) = request_items(gateway_of(request).engine, request_id)
    package = None
    if item.package_path is not None and not item.recalled:
        package = base64.b64encode(Path(item.package_path).read_bytes()).decode("ascii")
    return ItemAnswerOut(
        request_id=view.request_id,
        program_id=view.program_id,
        status=view.status,
        item=item_out(item, own_agency(principal) is not None),
        package=package,
        receipt=item.receipt if package is not None else None,
    )
