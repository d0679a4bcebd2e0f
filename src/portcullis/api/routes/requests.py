"""Requests: submit a signed request, poll it, read its outcomes, fetch packages and receipts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile
from fastapi.responses import FileResponse, JSONResponse

from portcullis.api.lookup import ItemView, RequestView, find_request, request_ids, request_items
from portcullis.api.outward import outward_outcome
from portcullis.api.params import Key, Name
from portcullis.api.problems import ApiProblem
from portcullis.api.road import gateway_of
from portcullis.api.schemas import ItemOut, RequestList, RequestOut
from portcullis.api.security import require
from portcullis.api.submitting import read_signed_manifest_text, submit_upload
from portcullis.api.transport import require_media
from portcullis.auth import Principal

router = APIRouter(prefix="/v1/requests", tags=["requests"])

Requester = Annotated[Principal, Depends(require("requester"))]
Reader = Annotated[Principal, Depends(require("requester", "operator", "auditor"))]
ReceiptReader = Annotated[Principal, Depends(require("requester", "auditor"))]


@router.post(
    "",
    status_code=201,
    response_model=RequestOut,
    dependencies=[Depends(require_media("multipart/form-data"))],
    responses={202: {"model": RequestOut, "description": "Queued for the batch worker"}},
    summary="Submit a signed request",
)
async def submit(
    request: Request,
    principal: Requester,
    file: Annotated[UploadFile, File(description="The request file, byte for byte as signed.")],
    manifest: Annotated[str, Form(description="The signed manifest (JSON).", max_length=65536)],
) -> Response:
    """Submit a request file and its signed manifest; small requests are answered at once."""
    signed = read_signed_manifest_text(manifest)
    file_bytes = await file.read()
    settings = request.app.state.settings
    gateway = gateway_of(request)
    answer = await to_thread.run_sync(
        lambda: submit_upload(
            gateway,
            principal,
            file.filename or "request.csv",
            file_bytes,
            signed,
            on_demand_limit=settings.on_demand_limit,
            wait=gateway.integrator.settings.commit_timeout,
        )
    )
    view = visible_request(request, principal, answer.request_id)
    body = _request_out(request, principal, view, with_outcomes=answer.processed)
    headers = {"Location": f"/v1/requests/{answer.request_id}"}
    status = 201 if answer.processed else 202
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


@router.get("", response_model=RequestList, summary="List requests")
def list_requests(
    request: Request,
    principal: Reader,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> RequestList:
    """List request ids newest first; a requester sees only its own agency's."""
    agency = own_agency(principal)
    found = request_ids(gateway_of(request).engine, agency=agency, limit=limit, offset=offset)
    return RequestList(request_ids=found)


@router.get("/{request_id}", response_model=RequestOut, summary="Poll a request")
def get_request(request: Request, principal: Reader, request_id: Name) -> RequestOut:
    """Return a request's status and progress."""
    return _request_out(request, principal, visible_request(request, principal, request_id), False)


@router.get("/{request_id}/outcomes", response_model=RequestOut, summary="Outcomes of a request")
def get_outcomes(request: Request, principal: Reader, request_id: Name) -> RequestOut:
    """Return a request's status with every item's outcome as the caller may see it."""
    return _request_out(request, principal, visible_request(request, principal, request_id), True)


@router.get(
    "/{request_id}/items/{row}/package",
    response_class=FileResponse,
    responses={
        200: {"content": {"application/octet-stream": {}}, "description": "The sealed package"}
    },
    summary="Download a sealed package",
)
def get_package(request: Request, principal: Requester, request_id: Name, row: Key) -> FileResponse:
    """Return the encrypted, signed package of a released item."""
    item = _released_item(request, principal, request_id, row)
    assert item.package_path is not None
    return FileResponse(
        item.package_path,
        media_type="application/octet-stream",
        filename=Path(item.package_path).name,
    )


@router.get("/{request_id}/items/{row}/receipt", summary="The ledger receipt of a released item")
def get_receipt(
    request: Request, principal: ReceiptReader, request_id: Name, row: Key
) -> dict[str, Any]:
    """Return the receipt proving the item's decision is in the ledger, with the entry it covers."""
    item = _released_item(request, principal, request_id, row)
    assert item.ledger_index is not None
    ledger = gateway_of(request).ledger
    index = item.ledger_index
    return {"receipt": ledger.receipt(index).to_json(), "entry": ledger.entry(index)}


def own_agency(principal: Principal) -> str | None:
    # Staff roles see every agency; an agency's account sees its own requests only.
    if principal.has("operator") or principal.has("auditor"):
        return None
    return principal.agency or ""


def visible_request(request: Request, principal: Principal, request_id: str) -> RequestView:
    view = find_request(gateway_of(request).engine, request_id)
    agency = own_agency(principal)
    if view is None or (agency is not None and view.requesting_agency != agency):
        # Another agency's request is reported exactly like a missing one.
        raise ApiProblem(404, "request_not_found", f"no request {request_id}")
    return view


def _released_item(request: Request, principal: Principal, request_id: str, row: int) -> ItemView:
    visible_request(request, principal, request_id)
    items = request_items(gateway_of(request).engine, request_id)
    item = next((i for i in items if i.row == row), None)
    if item is None or item.package_path is None:
        raise ApiProblem(404, "package_not_found", f"no released package for row {row}")
    if item.recalled:
        raise ApiProblem(410, "package_recalled", f"the package for row {row} was recalled")
    return item


def _request_out(
    request: Request, principal: Principal, view: RequestView, with_outcomes: bool
) -> RequestOut:
    outcomes = None
    if with_outcomes:
        masked = own_agency(principal) is not None
        outcomes = [
            item_out(item, masked)
            for item in request_items(gateway_of(request).engine, view.request_id)
        ]
    return RequestOut(
        request_id=view.request_id,
        program_id=view.program_id,
        requesting_agency=view.requesting_agency,
        status=view.status,
        item_count=view.item_count,
        decided=view.decided,
        received_at=view.received_at,
        finished_at=view.finished_at,
        job_state=view.job_state,
        outcomes=outcomes,
    )


def item_out(item: ItemView, masked: bool) -> ItemOut:
    outcome, codes = item.outcome, item.reason_codes
    if masked and outcome is not None:
        outcome, codes = outward_outcome(outcome, codes)
    package = None
    if item.package_path is not None and not item.recalled:
        package = f"items/{item.row}/package"
    return ItemOut(
        row=item.row,
        item_id=item.item_id,
        outcome=outcome,  # type: ignore[arg-type]
        reason_codes=list(codes),
        package=package,
    )
