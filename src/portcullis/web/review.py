"""The review queue page: held items with their evidence, settled through the road."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from portcullis.review import ReviewNotPossible, review_queue, settle_review
from portcullis.web.access import PREFIX, Viewer, admit
from portcullis.web.batches import item_reference
from portcullis.web.evidence import ReviewCard, review_card, taxpayer_records
from portcullis.web.session import csrf_matches, gateway_of, road_lock
from portcullis.web.templates import render

router = APIRouter()
QUEUE_LIMIT = 50
DECISIONS = {"approve": True, "refuse": False}


def _cards(request: Request) -> list[ReviewCard]:
    gateway = gateway_of(request)
    cards: list[ReviewCard] = []
    # The master store is one DuckDB connection shared by every door; the road lock serialises it.
    with road_lock(request):
        for held in review_queue(gateway, limit=QUEUE_LIMIT):
            tin = (held.candidate or {}).get("tin")
            runner = (held.evidence or {}).get("runner_up") or {}
            cards.append(
                review_card(
                    held,
                    taxpayer_records(gateway.master, str(tin)) if tin else [],
                    taxpayer_records(gateway.master, str(runner["tin"]))
                    if runner.get("tin")
                    else [],
                )
            )
    return cards


def _page(
    request: Request, viewer: Viewer, *, notice: str | None, error: str | None, status_code: int
) -> Response:
    return render(
        "review.html",
        status_code=status_code,
        viewer=viewer,
        cards=_cards(request),
        notice=notice,
        error=error,
        limit=QUEUE_LIMIT,
    )


@router.get(f"{PREFIX}/review")
def review_page(request: Request, settled: str | None = None, item: int | None = None) -> Response:
    """Show the held items, oldest first, each with a decision form."""
    viewer = admit(request, "review")
    if not isinstance(viewer, Viewer):
        return viewer
    notice = None
    reference = item_reference(gateway_of(request).engine, item) if item is not None else None
    if settled in ("disclosed", "refused") and reference is not None:
        request_id, item_id = reference
        notice = (
            f"Item {item_id or item} of request {request_id} is now {settled}; "
            "the decision is recorded in the ledger."
        )
    return _page(request, viewer, notice=notice, error=None, status_code=200)


@router.post(f"{PREFIX}/review/{{item_pk}}")
def settle(
    request: Request,
    item_pk: int,
    csrf: Annotated[str, Form()] = "",
    decision: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Record the reviewer's approval or refusal of one held item, with the required reason."""
    viewer = admit(request, "review")
    if not isinstance(viewer, Viewer):
        return viewer
    if not csrf_matches(viewer.session, csrf):
        return _page(
            request,
            viewer,
            notice=None,
            error="The form did not carry this session's token; nothing was recorded.",
            status_code=403,
        )
    if decision not in DECISIONS or not reason.strip():
        return _page(
            request,
            viewer,
            notice=None,
            error=f"Item {item_pk}: choose approve or refuse and give a reason; nothing recorded.",
            status_code=422,
        )
    try:
        with road_lock(request):
            outcome = settle_review(
                gateway_of(request),
                item_pk,
                reviewer=viewer.principal.name,
                approve=DECISIONS[decision],
                reason=reason,
            )
    except ReviewNotPossible as exc:
        return _page(request, viewer, notice=None, error=str(exc), status_code=409)
    return RedirectResponse(f"{PREFIX}/review?settled={outcome}&item={item_pk}", status_code=303)
