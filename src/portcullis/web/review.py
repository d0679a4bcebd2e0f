"""The review queue page: the backlog as a list, one held item's evidence beside it, settled
through the road under a claim that keeps every other reviewer off that item."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from portcullis.checks.reasons import REASONS
from portcullis.review import ReviewNotPossible, held_item, settle_review
from portcullis.review_backlog import QueueFilter, next_free_item
from portcullis.review_claims import Claim, ClaimRefused, claim_item
from portcullis.web.access import PREFIX, Viewer, admit
from portcullis.web.batches import item_reference
from portcullis.web.evidence import ReviewCard, review_card, taxpayer_records
from portcullis.web.queue_view import (
    SORT_LABELS,
    Cursor,
    parse_page,
    parse_sort,
    queue_view,
    view_query,
)
from portcullis.web.session import csrf_matches, gateway_of, road_lock
from portcullis.web.templates import render

router = APIRouter()
DECISIONS = {"approve": True, "refuse": False}


def _card(request: Request, item_pk: int) -> ReviewCard | None:
    gateway = gateway_of(request)
    held = held_item(gateway, item_pk)
    if held is None:
        return None
    tin = (held.candidate or {}).get("tin")
    runner = (held.evidence or {}).get("runner_up") or {}
    # The master store is one DuckDB connection shared by every door; the road lock serialises it.
    with road_lock(request):
        records = taxpayer_records(gateway.master, str(tin)) if tin else []
        runner_records = (
            taxpayer_records(gateway.master, str(runner["tin"])) if runner.get("tin") else []
        )
    return review_card(held, records, runner_records)


def _parse(fields: Mapping[str, str]) -> tuple[QueueFilter, str | None]:
    try:
        return QueueFilter.parse(fields), None
    except ValueError as exc:
        return QueueFilter(), f"The filter was not applied: {exc}."


def _page(
    request: Request,
    viewer: Viewer,
    fields: Mapping[str, str],
    *,
    selected: int | None,
    notice: str | None,
    error: str | None,
    status_code: int,
) -> Response:
    chosen, filter_error = _parse(fields)
    engine = gateway_of(request).engine
    now = dt.datetime.now(dt.UTC)
    sort = parse_sort(fields.get("sort"))
    view = queue_view(
        engine,
        chosen,
        sort=sort,
        page=parse_page(fields.get("page")),
        now=now,
        cursor=Cursor.parse(fields),
    )
    reviewer = viewer.principal.name
    if selected is None:
        selected = view.free_after(None, reviewer)
    if selected is None and not view.whole:
        selected = next_free_item(engine, chosen, reviewer, sort=sort, now=now)
    card = _card(request, selected) if selected is not None else None
    claim: Claim | None = None
    claimed_by_other: str | None = None
    if card is not None:
        try:
            claim = claim_item(engine, card.held.item_pk, reviewer, now=now)
        except ClaimRefused as exc:
            claimed_by_other = str(exc)
    skip_to = None
    if card is not None:
        # The list on the page usually holds the next free item; the database is asked otherwise.
        if view.whole and card.held.item_pk in {line.item_pk for line in view.lines}:
            skip_to = view.free_around(card.held.item_pk, reviewer)
        else:
            skip_to = view.free_after(card.held.item_pk, reviewer) or next_free_item(
                engine, chosen, reviewer, sort=sort, after=card.held.item_pk, now=now
            )
    return render(
        "review.html",
        status_code=422 if filter_error and status_code == 200 else status_code,
        viewer=viewer,
        view=view,
        card=card,
        claim=claim,
        claimed_by_other=claimed_by_other,
        skip_to=skip_to if skip_to != selected else None,
        sorts=SORT_LABELS,
        reasons=sorted(REASONS),
        notice=notice,
        error=error or filter_error,
    )


def _settled_notice(request: Request, settled: str | None, item: int | None) -> str | None:
    if settled not in ("disclosed", "refused") or item is None:
        return None
    reference = item_reference(gateway_of(request).engine, item)
    if reference is None:
        return None
    request_id, item_id = reference
    return (
        f"Item {item_id or item} of request {request_id} is now {settled}; "
        "the decision is recorded in the ledger."
    )


@router.get(f"{PREFIX}/review")
def review_page(request: Request) -> Response:
    """Show one page of the backlog and one held item's evidence, which the viewer then holds."""
    viewer = admit(request, "review")
    if not isinstance(viewer, Viewer):
        return viewer
    fields = dict(request.query_params)
    item = fields.get("item", "")
    settled_item = fields.get("settled_item", "")
    return _page(
        request,
        viewer,
        fields,
        selected=int(item) if item.isdigit() else None,
        notice=_settled_notice(
            request,
            fields.get("settled"),
            int(settled_item) if settled_item.isdigit() else None,
        ),
        error=None,
        status_code=200,
    )


@router.post(f"{PREFIX}/review/{{item_pk}}")
async def settle(request: Request, item_pk: int) -> Response:
    """Record the reviewer's approval or refusal of one held item, then open the next free one."""
    viewer = admit(request, "review")
    if not isinstance(viewer, Viewer):
        return viewer
    form = {name: str(value) for name, value in (await request.form()).items()}
    # The road's calls block, so they run on the thread pool as the other pages' handlers do.
    return await run_in_threadpool(_settle, request, viewer, item_pk, form)


def _settle(request: Request, viewer: Viewer, item_pk: int, form: dict[str, str]) -> Response:
    decision, reason = form.get("decision", ""), form.get("reason", "")

    def again(error: str, status_code: int) -> Response:
        return _page(
            request,
            viewer,
            form,
            selected=item_pk,
            notice=None,
            error=error,
            status_code=status_code,
        )

    if not csrf_matches(viewer.session, form.get("csrf", "")):
        return again("The form did not carry this session's token; nothing was recorded.", 403)
    if decision not in DECISIONS or not reason.strip():
        return again(
            f"Item {item_pk}: choose approve or refuse and give a reason; nothing recorded.", 422
        )
    chosen, _ = _parse(form)
    engine = gateway_of(request).engine
    reviewer = viewer.principal.name
    sort = parse_sort(form.get("sort"))
    # The next item is found before this one leaves the queue, so the order carries on from here.
    following = next_free_item(engine, chosen, reviewer, sort=sort, after=item_pk)
    try:
        with road_lock(request):
            outcome = settle_review(
                gateway_of(request),
                item_pk,
                reviewer=reviewer,
                approve=DECISIONS[decision],
                reason=reason,
            )
    except ReviewNotPossible as exc:
        return again(str(exc), 409)
    query = view_query(
        chosen,
        sort,
        parse_page(form.get("page")),
        {"item": following, "settled": outcome, "settled_item": item_pk},
        Cursor.parse(form),
    )
    return RedirectResponse(f"{PREFIX}/review?{query}", status_code=303)
