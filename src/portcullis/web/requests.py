"""The request pages: every request with its progress, and one request's outcomes and reasons."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from portcullis.checks.reasons import REASONS
from portcullis.reports.charts import Bar, render_bar_chart
from portcullis.web.access import PREFIX, Viewer, admit
from portcullis.web.batches import reason_counts, request_items, request_summaries, request_summary
from portcullis.web.session import gateway_of
from portcullis.web.templates import render

router = APIRouter()
# A page with a running request reloads itself so its progress moves without a script.
REFRESH_SECONDS = 5


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
def request_page(request: Request, request_id: str) -> Response:
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
    lines = request_items(engine, request_id)
    reasons = reason_counts(lines).most_common()
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
    )
