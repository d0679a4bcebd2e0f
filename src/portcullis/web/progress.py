"""A running request's progress from the state store: items decided of all, rate and time left."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import Engine

from portcullis.store.tables import decisions, items, requests
from portcullis.store.tallies import decision_tallies
from portcullis.web.durations import duration_text

# The rate is what the road managed over the last minute, so a stall shows at once.
RATE_WINDOW = dt.timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class Progress:
    """How far the road has come with one request, and how fast it is going."""

    request_id: str
    status: str
    total: int
    decided: int
    per_second: float | None
    seconds_left: float | None

    @property
    def running(self) -> bool:
        """Whether the road is still working on the request."""
        return self.status in ("received", "processing")

    def as_json(self) -> dict[str, object]:
        """Return the figures as the page's script reads them."""
        return {
            "request_id": self.request_id,
            "status": self.status,
            "running": self.running,
            "total": self.total,
            "decided": self.decided,
            "per_second": self.per_second,
            "seconds_left": self.seconds_left,
            "text": progress_text(self),
        }


def progress_text(progress: Progress) -> str:
    """Say the rate and time left in words (“120 items a second, about 2 min 5 s left”)."""
    if not progress.running:
        return "finished" if progress.status != "refused" else "refused as a whole"
    if progress.per_second is None:
        return "no item decided in the last minute"
    left = (
        ""
        if progress.seconds_left is None
        else f", about {duration_text(progress.seconds_left)} left"
    )
    return f"{progress.per_second:,.1f} items a second{left}"


def request_progress(
    engine: Engine, request_id: str, *, now: dt.datetime | None = None
) -> Progress | None:
    """Read one request's progress, or None if there is no such request."""
    moment = now or dt.datetime.now(dt.UTC)
    # Every decision from the tallies; the last minute's along the index on decided_at.
    decided = sa.select(sa.func.coalesce(sa.func.sum(decision_tallies.c["items"]), 0)).where(
        decision_tallies.c.request_id == request_id
    )
    recent = (
        sa.select(sa.func.count())
        .select_from(decisions)
        .join(items, items.c.id == decisions.c.item_pk)
        .where(decisions.c.decided_at >= moment - RATE_WINDOW, items.c.request_id == request_id)
    )
    with engine.connect() as con:
        row = con.execute(
            sa.select(requests.c.status, requests.c.item_count).where(
                requests.c.request_id == request_id
            )
        ).first()
        if row is None:
            return None
        done = int(con.execute(decided).scalar_one())
        lately = int(con.execute(recent).scalar_one())
    total = int(row.item_count)
    per_second = lately / RATE_WINDOW.total_seconds() if lately else None
    left = (total - done) / per_second if per_second else None
    return Progress(
        request_id=request_id,
        status=str(row.status),
        total=total,
        decided=done,
        per_second=per_second,
        seconds_left=left,
    )
