"""The review backlog as a working list: filtered, searched, sorted and paged in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal, get_args

import sqlalchemy as sa
from sqlalchemy import ColumnElement, Connection, Engine

from portcullis.checks.duplicates import normalise_case_number, normalise_token
from portcullis.matching.decide import SETTLED_BY_SIGHT
from portcullis.store.tables import decisions, items, requests, review_claims

# "priority", the default, puts first the items a reviewer can settle from what the screen shows
# (matching.decide.SETTLED_BY_SIGHT: two spellings of one name, names swapped, a score short of
# the line), then among those the items whose settlement is most likely to release: the highest
# posterior that the best candidate is the person, oldest first among equals.
Sort = Literal["priority", "oldest", "newest", "score_high", "score_low"]
SORTS: tuple[Sort, ...] = get_args(Sort)
DEFAULT_SORT: Sort = "priority"
PENDING = "pending_review"


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What a reviewer narrows the backlog to; empty fields narrow nothing."""

    request: str = ""
    agency: str = ""
    reason_code: str = ""
    officer: str = ""
    score_min: float | None = None
    score_max: float | None = None
    search: str = ""

    @classmethod
    def parse(cls, values: Mapping[str, str]) -> QueueFilter:
        """Read a filter from form or query fields; a score that is no number raises ValueError."""

        def score(name: str) -> float | None:
            text = values.get(name, "").strip()
            if not text:
                return None
            try:
                return float(text)
            except ValueError:
                raise ValueError(
                    f"{name.replace('_', ' ')} must be a number, not {text!r}"
                ) from None

        texts = {
            f.name: values.get(f.name, "").strip()
            for f in fields(cls)
            if f.name not in ("score_min", "score_max")
        }
        return cls(**texts, score_min=score("score_min"), score_max=score("score_max"))

    def as_query(self) -> dict[str, str]:
        """Return the filter as query fields, leaving out the empty ones."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value not in (None, ""):
                out[f.name] = f"{value:g}" if isinstance(value, float) else str(value)
        return out


@dataclass(frozen=True, slots=True)
class QueueLine:
    """One held item as one line of the list: who, why held, score, since when, who holds it."""

    item_pk: int
    request_id: str
    item_id: str | None
    name: str
    reason_codes: tuple[str, ...]
    match_score: float | None
    held_since: dt.datetime
    claimed_by: str | None


@dataclass(frozen=True, slots=True)
class Backlog:
    """The size and age of the (filtered) backlog."""

    waiting: int
    oldest: dt.datetime | None


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _has_token(column: ColumnElement[Any], token: str) -> ColumnElement[bool]:
    # The column holds ';'-separated tokens; match one whole token, never a part of one.
    return (sa.literal(";") + sa.func.coalesce(column, "") + sa.literal(";")).contains(f";{token};")


def _word_matches(word: str) -> list[ColumnElement[bool]]:
    name, case = normalise_token(word), normalise_case_number(word)
    matches = [items.c.name_key.contains(name, autoescape=True)] if name else []
    if case:
        matches.append(items.c.case_number.startswith(case, autoescape=True))
    for written in dict.fromkeys((word, word.upper())):
        matches.append(items.c.item_id.startswith(written, autoescape=True))
        matches.append(items.c.request_id.startswith(written, autoescape=True))
    return matches


def _conditions(chosen: QueueFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = [decisions.c.outcome == PENDING]
    if chosen.request:
        found.append(items.c.request_id == chosen.request)
    if chosen.agency:
        found.append(requests.c.requesting_agency == chosen.agency)
    if chosen.reason_code:
        found.append(_has_token(decisions.c.reason_codes, chosen.reason_code))
    if chosen.officer:
        found.append(_has_token(items.c.officers, chosen.officer))
    if chosen.score_min is not None:
        found.append(decisions.c.match_score >= chosen.score_min)
    if chosen.score_max is not None:
        found.append(decisions.c.match_score <= chosen.score_max)
    if chosen.officer:
        # The substring test lets a trigram index find the few candidates; the token test decides.
        found.append(items.c.officers.contains(chosen.officer, autoescape=True))
    # Each word must appear in the name (accents and case folded), or begin the case number, the
    # item id or the request id (as typed or in capitals): prefixes an index answers directly.
    for word in chosen.search.split():
        found.append(sa.or_(*_word_matches(word)))
    return found


def _filtered(
    query: sa.Select[*tuple[Any, ...]], chosen: QueueFilter, *, with_items: bool = True
) -> sa.Select[Any]:
    query = query.select_from(decisions)
    if with_items or chosen.request or chosen.officer or chosen.search or chosen.agency:
        query = query.join(items, items.c.id == decisions.c.item_pk)
    if chosen.agency:
        query = query.join(requests, requests.c.request_id == items.c.request_id)
    return query.where(*_conditions(chosen))


def sort_key(sort: Sort) -> tuple[ColumnElement[Any], bool]:
    """Return the sort expression and whether it runs ascending."""
    score = sa.func.coalesce(decisions.c.match_score, -1.0)
    reason = decisions.c.match_evidence["reason"].as_string()
    # One key, so that keyset paging follows it: the negated posterior lies in [-1, 1], and the
    # items that need more than the screen are lifted past every item that does not.
    needs_more = sa.case((reason.in_(SETTLED_BY_SIGHT), 0.0), else_=4.0)
    return {
        # Ascending on the negated posterior, so that ties fall to the oldest (lowest) item.
        "priority": (needs_more - score, True),
        "oldest": (decisions.c.decided_at, True),
        "newest": (decisions.c.decided_at, False),
        "score_high": (score, False),
        "score_low": (score, True),
    }[sort]


def backlog(engine: Engine, chosen: QueueFilter = QueueFilter()) -> Backlog:
    """Count the held items the filter selects and find when the oldest was held."""
    counted = sa.select(sa.func.count(), sa.func.min(decisions.c.decided_at))
    # Only the filters on the item need the items table; the plain count reads one index.
    query = _filtered(counted, chosen, with_items=False)
    with engine.connect() as con:
        waiting, oldest = con.execute(query).one()
    return Backlog(waiting=int(waiting), oldest=None if oldest is None else _utc(oldest))


def _mark(con: Connection, key: ColumnElement[Any], item_pk: int) -> tuple[Any, ...] | None:
    # Where an item stands in an order (even once settled), so a page can start after it.
    row = con.execute(sa.select(key, decisions.c.item_pk).where(decisions.c.item_pk == item_pk))
    found = row.first()
    return None if found is None else tuple(found)


def queue_page(
    engine: Engine,
    chosen: QueueFilter,
    *,
    sort: Sort = DEFAULT_SORT,
    page: int = 1,
    size: int = 50,
    now: dt.datetime | None = None,
    after: int | None = None,
    before: int | None = None,
) -> list[QueueLine]:
    """Return one page of the filtered backlog in the chosen order, with each live claim.

    With `after` (or `before`) the page is the `size` lines that follow (or precede) that item in
    the order, found along the order itself (keyset paging) however deep it lies; otherwise it is
    page `page`, counted from the top. Either way only the page's own lines are read in full.
    """
    lines, _ = _page(engine, chosen, sort, page, size, now, after, before, counted=False)
    return lines


def counted_page(
    engine: Engine,
    chosen: QueueFilter,
    *,
    sort: Sort = DEFAULT_SORT,
    page: int = 1,
    size: int = 50,
    now: dt.datetime | None = None,
) -> tuple[list[QueueLine], Backlog | None]:
    """Return page `page` and the filtered backlog's size and age, found by the same one query.

    The backlog is None when the page is empty (it lies past the end): count it with `backlog`.
    """
    return _page(engine, chosen, sort, page, size, now, None, None, counted=True)


def _page(
    engine: Engine,
    chosen: QueueFilter,
    sort: Sort,
    page: int,
    size: int,
    now: dt.datetime | None,
    after: int | None,
    before: int | None,
    *,
    counted: bool,
) -> tuple[list[QueueLine], Backlog | None]:
    moment = now or dt.datetime.now(dt.UTC)
    key, ascending = sort_key(sort)
    backwards = before is not None and after is None
    forward = ascending != backwards
    keys = _filtered(
        sa.select(decisions.c.item_pk.label("pk"), key.label("key")), chosen, with_items=False
    )
    keys = keys.order_by(
        key if forward else key.desc(),
        decisions.c.item_pk if forward else decisions.c.item_pk.desc(),
    ).limit(size)
    if counted:
        keys = _counted_keys(chosen, key, forward).limit(size)
    claims = (
        sa.select(review_claims.c.item_pk, review_claims.c.reviewer)
        .where(review_claims.c.expires_at > moment)
        .subquery()
    )
    with engine.connect() as con:
        cursor = after if after is not None else before
        mark = None if cursor is None else _mark(con, key, cursor)
        if mark is not None:
            later = sa.tuple_(key, decisions.c.item_pk)
            keys = keys.where(later > mark if forward else later < mark)
        else:
            keys = keys.offset((max(page, 1) - 1) * size)
        chosen_keys = keys.subquery()
        query = (
            sa.select(
                decisions.c.item_pk,
                decisions.c.reason_codes,
                decisions.c.match_score,
                decisions.c.decided_at,
                items.c.request_id,
                items.c.item_id,
                items.c.record,
                claims.c.reviewer,
                *((chosen_keys.c.waiting, chosen_keys.c.oldest) if counted else ()),
            )
            .select_from(chosen_keys)
            .join(decisions, decisions.c.item_pk == chosen_keys.c.pk)
            .join(items, items.c.id == decisions.c.item_pk)
            .outerjoin(claims, claims.c.item_pk == decisions.c.item_pk)
            .order_by(
                chosen_keys.c.key if ascending else chosen_keys.c.key.desc(),
                chosen_keys.c.pk if ascending else chosen_keys.c.pk.desc(),
            )
        )
        rows = con.execute(query).all()
    found = (
        Backlog(waiting=int(rows[0].waiting), oldest=_utc(rows[0].oldest))
        if counted and rows
        else None
    )
    return [_line(row) for row in rows], found


def _counted_keys(chosen: QueueFilter, key: ColumnElement[Any], forward: bool) -> sa.Select[Any]:
    # The filter's rows are gathered first (a materialised CTE), then counted and ordered: a
    # planner that sees the LIMIT beside the count would walk the whole backlog in order instead.
    matched = (
        _filtered(
            sa.select(
                decisions.c.item_pk.label("pk"),
                key.label("key"),
                decisions.c.decided_at.label("at"),
            ),
            chosen,
            with_items=False,
        )
        .cte("matched")
        .prefix_with("MATERIALIZED")
    )
    return sa.select(
        matched.c.pk,
        matched.c.key,
        sa.func.count().over().label("waiting"),
        sa.func.min(matched.c.at).over().label("oldest"),
    ).order_by(
        matched.c.key if forward else matched.c.key.desc(),
        matched.c.pk if forward else matched.c.pk.desc(),
    )


def _line(row: sa.Row[Any]) -> QueueLine:
    return QueueLine(
        item_pk=row.item_pk,
        request_id=row.request_id,
        item_id=row.item_id,
        name=" ".join(
            str(row.record.get(part) or "")
            for part in ("first_name", "middle_name", "last_name", "name_suffix")
            if row.record.get(part)
        ),
        reason_codes=tuple(c for c in row.reason_codes.split(";") if c),
        match_score=row.match_score,
        held_since=_utc(row.decided_at),
        claimed_by=row.reviewer,
    )


def next_free_item(
    engine: Engine,
    chosen: QueueFilter,
    reviewer: str,
    *,
    sort: Sort = DEFAULT_SORT,
    after: int | None = None,
    now: dt.datetime | None = None,
) -> int | None:
    """Return the first held item after `after` in the chosen order that no other reviewer holds.

    Without `after`, or when nothing free follows it, the search starts again from the top, so a
    reviewer who skips to the end comes round to the items they passed over.
    """
    moment = now or dt.datetime.now(dt.UTC)
    key, ascending = sort_key(sort)
    taken = sa.exists().where(
        review_claims.c.item_pk == decisions.c.item_pk,
        review_claims.c.reviewer != reviewer,
        review_claims.c.expires_at > moment,
    )
    base = (
        _filtered(sa.select(decisions.c.item_pk), chosen, with_items=False)
        .where(~taken)
        .order_by(
            key if ascending else key.desc(),
            decisions.c.item_pk if ascending else decisions.c.item_pk.desc(),
        )
        .limit(1)
    )
    with engine.connect() as con:
        if after is not None:
            mark = _mark(con, key, after)
            if mark is not None:
                later = sa.tuple_(key, decisions.c.item_pk)
                beyond = later > tuple(mark) if ascending else later < tuple(mark)
                found = con.execute(
                    base.where(beyond, decisions.c.item_pk != after)
                ).scalar_one_or_none()
                if found is not None:
                    return int(found)
        first = con.execute(
            base.where(decisions.c.item_pk != after) if after is not None else base
        ).scalar_one_or_none()
    return None if first is None else int(first)
