"""What the review page shows of the backlog: the filter, one page of lines, links keeping both."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlalchemy import Engine

from portcullis.review_backlog import (
    DEFAULT_SORT,
    SORTS,
    Backlog,
    QueueFilter,
    QueueLine,
    Sort,
    backlog,
    counted_page,
    queue_page,
)
from portcullis.store.tables import requests
from portcullis.web.access import PREFIX
from portcullis.web.durations import duration_text

PAGE_SIZE = 50
SORT_LABELS: dict[Sort, str] = {
    "priority": "Most likely to release first",
    "oldest": "Oldest first",
    "newest": "Newest first",
    "score_high": "Highest score first",
    "score_low": "Lowest score first",
}


def age_text(since: dt.datetime | None, now: dt.datetime) -> str:
    """Say how long ago `since` was (“3 d 4 h”), or “—” when there is no such moment."""
    return "—" if since is None else duration_text((now - since).total_seconds())


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a page of the list starts: after (or before) one item in the order (keyset paging)."""

    after: int | None = None
    before: int | None = None

    @classmethod
    def parse(cls, fields: Mapping[str, str]) -> Cursor:
        """Read the cursor from query or form fields, ignoring anything that is not an item key."""

        def key(name: str) -> int | None:
            text = fields.get(name, "")
            return int(text) if text.isdigit() else None

        return cls(after=key("after"), before=key("before"))

    def as_query(self) -> dict[str, int | None]:
        """Return the cursor as query fields (None drops a field)."""
        return {"after": self.after, "before": self.before}


def view_query(
    chosen: QueueFilter,
    sort: Sort,
    page: int,
    changes: Mapping[str, str | int | None],
    cursor: Cursor = Cursor(),
) -> str:
    """Return the query string of a view of the backlog, with some fields changed or dropped."""
    fields: dict[str, str | int | None] = {
        **chosen.as_query(),
        "sort": sort if sort != DEFAULT_SORT else None,
        "page": page if page != 1 else None,
        **(cursor.as_query() if page != 1 else {}),
    }
    fields.update(changes)
    return urlencode({name: value for name, value in fields.items() if value not in (None, "")})


def parse_page(text: str | None) -> int:
    """Return the page number asked for, or 1 when it is missing or not a positive number."""
    return int(text) if text and text.isdigit() and int(text) > 0 else 1


def parse_sort(text: str | None) -> Sort:
    """Return the named order of the list, the default (priority) when the name is unknown."""
    for sort in SORTS:
        if sort == text:
            return sort
    return DEFAULT_SORT


@dataclass(frozen=True, slots=True)
class QueueView:
    """One page of the backlog as the reviewer asked for it."""

    chosen: QueueFilter
    sort: Sort
    page: int
    pages: int
    filtered: Backlog
    everything: Backlog
    lines: tuple[QueueLine, ...]
    agencies: tuple[str, ...]
    now: dt.datetime
    cursor: Cursor = Cursor()

    def link(self, **changes: str | int | None) -> str:
        """Return the review page's address for this view with some fields changed."""
        query = view_query(self.chosen, self.sort, self.page, changes, self.cursor)
        return f"{PREFIX}/review?{query}" if query else f"{PREFIX}/review"

    def next_page(self) -> str:
        """The address of the next page: the lines after this page's last, found by key."""
        last = self.lines[-1].item_pk if self.lines else None
        return self.link(page=self.page + 1, after=last, before=None, item=None)

    def previous_page(self) -> str:
        """The address of the previous page: the lines before this page's first, found by key."""
        first = self.lines[0].item_pk if self.lines and self.page > 2 else None
        return self.link(page=self.page - 1, after=None, before=first, item=None)

    def free_after(self, item_pk: int | None, reviewer: str) -> int | None:
        """Return the first line after `item_pk` (or the first line) that no one else holds.

        None when no such line is on this page: the caller then asks the database.
        """
        pks = [line.item_pk for line in self.lines]
        if item_pk is not None and item_pk not in pks:
            return None
        start = 0 if item_pk is None else pks.index(item_pk) + 1
        for line in self.lines[start:]:
            if line.claimed_by in (None, reviewer):
                return line.item_pk
        return None

    @property
    def whole(self) -> bool:
        """Whether this page holds every line of the filtered backlog (it is the only page)."""
        return self.pages == 1 and self.filtered.waiting <= len(self.lines)

    def free_around(self, item_pk: int, reviewer: str) -> int | None:
        """On a page that holds the whole backlog, the next free line after `item_pk`, round again.

        The same answer `next_free_item` gives, without asking the database again.
        """
        return self.free_after(item_pk, reviewer) or next(
            (
                line.item_pk
                for line in self.lines
                if line.item_pk != item_pk and line.claimed_by in (None, reviewer)
            ),
            None,
        )

    def age(self, since: dt.datetime | None) -> str:
        """Say how long ago `since` was, as of this view."""
        return age_text(since, self.now)

    @property
    def hidden_fields(self) -> dict[str, str]:
        """The filter, order and page as form fields, so a decision returns to the same view."""
        cursor = {name: str(key) for name, key in self.cursor.as_query().items() if key}
        return {
            **self.chosen.as_query(),
            "sort": self.sort,
            "page": str(self.page),
            **(cursor if self.page != 1 else {}),
        }


def requesting_agencies(engine: Engine) -> tuple[str, ...]:
    """Return every requesting agency named by a request, for the filter's choices."""
    query = (
        sa.select(requests.c.requesting_agency)
        .where(requests.c.requesting_agency.is_not(None))
        .distinct()
        .order_by(requests.c.requesting_agency)
    )
    with engine.connect() as con:
        return tuple(str(name) for name in con.execute(query).scalars())


def queue_view(
    engine: Engine,
    chosen: QueueFilter,
    *,
    sort: Sort,
    page: int,
    now: dt.datetime,
    cursor: Cursor = Cursor(),
) -> QueueView:
    """Read the counts, the page of lines and the filter's choices for one view of the backlog."""
    wanted = max(page, 1)
    if wanted == 1:
        cursor = Cursor()
    counted: Backlog | None = None
    if cursor == Cursor() and chosen != QueueFilter():
        # One query gives the page and the filtered count, unless the page lies past the end
        # (the whole backlog's count reads one index, so it is asked for on its own).
        lines, counted = counted_page(
            engine, chosen, sort=sort, page=wanted, size=PAGE_SIZE, now=now
        )
    filtered = counted or backlog(engine, chosen)
    pages = max(math.ceil(filtered.waiting / PAGE_SIZE), 1)
    shown = min(wanted, pages)
    if counted is None:
        if shown == 1:
            cursor = Cursor()
        lines = queue_page(
            engine,
            chosen,
            sort=sort,
            page=shown,
            size=PAGE_SIZE,
            now=now,
            after=cursor.after,
            before=cursor.before,
        )
        if not lines and cursor != Cursor():
            # Nothing lies beyond the cursor any more (settled meanwhile): count from the top.
            cursor = Cursor()
            lines = queue_page(engine, chosen, sort=sort, page=shown, size=PAGE_SIZE, now=now)
    everything = filtered if chosen == QueueFilter() else backlog(engine)
    return QueueView(
        chosen=chosen,
        sort=sort,
        page=shown,
        pages=pages,
        filtered=filtered,
        everything=everything,
        lines=tuple(lines),
        agencies=requesting_agencies(engine),
        now=now,
        cursor=cursor,
    )
