"""Reviewer endpoints: the queue of held items, and settling one of them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from portcullis.api.lookup import find_request, item_request_id
from portcullis.api.params import Key
from portcullis.api.problems import ApiProblem
from portcullis.api.road import gateway_of
from portcullis.api.schemas import HeldItemOut, ReviewIn, ReviewOut
from portcullis.api.security import require
from portcullis.api.transport import require_media
from portcullis.auth import Principal
from portcullis.review import ReviewNotPossible, review_queue, settle_review

router = APIRouter(prefix="/v1/review", tags=["review"])

Reviewer = Annotated[Principal, Depends(require("reviewer"))]


@router.get("/queue", response_model=list[HeldItemOut], summary="Items waiting for a reviewer")
def get_queue(
    request: Request, principal: Reviewer, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[HeldItemOut]:
    """Return held items in the working list's priority order, with the evidence behind each."""
    held = review_queue(gateway_of(request), limit=limit)
    return [
        HeldItemOut(
            item_pk=item.item_pk,
            request_id=item.request_id,
            row=item.row,
            item_id=item.item_id,
            reason_codes=list(item.reason_codes),
            request_item=item.request_item,
            candidate=item.candidate,
            match_score=item.match_score,
            evidence=item.evidence,
            findings=item.findings,
        )
        for item in held
    ]


@router.post(
    "/items/{item_pk}",
    response_model=ReviewOut,
    dependencies=[Depends(require_media("application/json"))],
    summary="Settle a held item",
)
def settle(request: Request, principal: Reviewer, item_pk: Key, body: ReviewIn) -> ReviewOut:
    """Approve or refuse a held item as the calling reviewer."""
    gateway = gateway_of(request)
    request_id = item_request_id(gateway.engine, item_pk)
    if request_id is None:
        raise ApiProblem(404, "item_not_found", f"no item {item_pk}")
    view = find_request(gateway.engine, request_id)
    if view is not None and view.submitted_by == principal.name:
        raise ApiProblem(403, "separation_of_duties", "whoever submits a request cannot review it")
    try:
        outcome = settle_review(
            gateway,
            item_pk,
            reviewer=principal.name,
            approve=body.approve,
            reason=body.reason,
        )
    except ReviewNotPossible as exc:
        raise ApiProblem(409, "review_not_possible", str(exc)) from exc
    return ReviewOut(item_pk=item_pk, outcome=outcome)  # type: ignore[arg-type]
