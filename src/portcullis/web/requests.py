"""The request pages: every request with its progress, and one request's outcomes and reasons."""

from __future__ import annotations

import math

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from portcullis.checks.reasons import REASONS
from portcullis.reports.charts import Bar, render_bar_chart
from portcullis.web.access import PREFIX, Viewer, admit
from portcullis.web.batches import reason_counts, request_items, request_summaries, request_summary
from portcullis.web.progress import progress_text, request_progress
from portcullis.web.session import gateway_of
from portcullis.web.templates import SECURITY_HEADERS, render

router = APIRouter()
# A page with a running request reloads itself so its progress moves without a script.
REFRESH_SECONDS = 5
ITEMS_PER_PAGE = 200


@router.get(f"{PREFIX}/requests")
def requests_page(request: Request) -> Response:
    """List the newest requests with their status, progress and refusal rate."""
    viewer = admit(request, "requests")
    if not isinstance(viewer, Viewer):
        return viewer
    summaries = request_summaries(gateway_of(request).engine)
    return render(
        "requests.html",
        viewer=viewer,
        summaries=summaries,
        refresh=REFRESH_SECONDS if any(s.running for s in summaries) else None,
    )


@router.get(f"{PREFIX}/requests/{{request_id}}")
def request_page(request: Request, request_id: str, page: int = 1) -> Response:
    """Show one request: its progress, its outcomes by reason and every item's decision."""
    viewer = admit(request, "requests")
    if not isinstance(viewer, Viewer):
        return viewer
    engine = gateway_of(request).engine
    summary = request_summary(engine, request_id)
    if summary is None:
        return render(
            "message.html",
            status_code=404,
            viewer=viewer,
            heading="No such request",
            message=f"There is no request {request_id}.",
        )
    pages = max(math.ceil(summary.item_count / ITEMS_PER_PAGE), 1)
    shown = min(max(page, 1), pages)
    lines = request_items(
        engine, request_id, offset=(shown - 1) * ITEMS_PER_PAGE, limit=ITEMS_PER_PAGE
    )
    reasons = reason_counts(engine, request_id).most_common()
    chart = render_bar_chart(
        "outcomes-by-reason",
        "Items by reason code",
        f"How many items of request {request_id} carry each reason code.",
        [Bar(code, count) for code, count in reasons],
    )
    return render(
        "request.html",
        viewer=viewer,
        summary=summary,
        lines=lines,
        reasons=[
            (code, count, REASONS[code].meaning if code in REASONS else "")
            for code, count in reasons
        ],
        chart=chart,
        refresh=REFRESH_SECONDS if summary.running else None,
        progress=request_progress(engine, request_id),
        progress_text=progress_text,
        page=shown,
        pages=pages,
    )


@router.get(f"{PREFIX}/requests/{{request_id}}/progress")
def progress_figures(request: Request, request_id: str) -> Response:
    """Return one request's progress as JSON, for the request page's script to show live."""
    viewer = admit(request, "requests")
    if not isinstance(viewer, Viewer):
        return viewer
    progress = request_progress(gateway_of(request).engine, request_id)
    if progress is None:
        return JSONResponse({"error": f"there is no request {request_id}"}, status_code=404)
    return JSONResponse(progress.as_json(), headers=SECURITY_HEADERS)
