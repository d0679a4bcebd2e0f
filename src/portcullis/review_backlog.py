"""The review backlog as a working list: filtered, searched, sorted and paged in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal, get_args

import sqlalchemy as sa
from sqlalchemy import ColumnElement, Engine

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
    # Each word must appear in the name (accents and case folded), case number, item or request.
    for word in chosen.search.split():
        found.append(
            sa.or_(
                items.c.name_key.contains(normalise_token(word)),
                items.c.case_number.contains(normalise_case_number(word)),
                sa.func.upper(items.c.item_id).contains(word.upper()),
                sa.func.upper(items.c.request_id).contains(word.upper()),
            )
        )
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


def _sort_key(sort: Sort) -> tuple[tuple[ColumnElement[Any], ...], bool]:
    """Return the sort expressions, most significant first, and whether they run ascending."""
    score = sa.func.coalesce(decisions.c.match_score, -1.0)
    reason = decisions.c.match_evidence["reason"].as_string()
    needs_more = sa.case((reason.in_(SETTLED_BY_SIGHT), 0), else_=1)
    return {
        # Ascending on the negated posterior, so that ties fall to the oldest (lowest) item.
        "priority": ((needs_more, -score), True),
        "oldest": ((decisions.c.decided_at,), True),
        "newest": ((decisions.c.decided_at,), False),
        "score_high": ((score,), False),
        "score_low": ((score,), True),
    }[sort]


def _ordered(keys: tuple[ColumnElement[Any], ...], ascending: bool) -> list[ColumnElement[Any]]:
    order = [*keys, decisions.c.item_pk]
    return order if ascending else [column.desc() for column in order]


def backlog(engine: Engine, chosen: QueueFilter = QueueFilter()) -> Backlog:
    """Count the held items the filter selects and find when the oldest was held."""
    counted = sa.select(sa.func.count(), sa.func.min(decisions.c.decided_at))
    # Only the filters on the item need the items table; the plain count reads one index.
    query = _filtered(counted, chosen, with_items=False)
    with engine.connect() as con:
        waiting, oldest = con.execute(query).one()
    return Backlog(waiting=int(waiting), oldest=None if oldest is None else _utc(oldest))


def queue_page(
    engine: Engine,
    chosen: QueueFilter,
    *,
    sort: Sort = DEFAULT_SORT,
    page: int = 1,
    size: int = 50,
    now: dt.datetime | None = None,
) -> list[QueueLine]:
    """Return one page of the filtered backlog in the chosen order, with each live claim."""
    moment = now or dt.datetime.now(dt.UTC)
    keys, ascending = _sort_key(sort)
    claims = (
        sa.select(review_claims.c.item_pk, review_claims.c.reviewer)
        .where(review_claims.c.expires_at > moment)
        .subquery()
    )
    query = (
        _filtered(
            sa.select(
                decisions.c.item_pk,
                decisions.c.reason_codes,
                decisions.c.match_score,
                decisions.c.decided_at,
                items.c.request_id,
                items.c.item_id,
                items.c.record,
                claims.c.reviewer,
            ),
            chosen,
        )
        .outerjoin(claims, claims.c.item_pk == decisions.c.item_pk)
        .order_by(*_ordered(keys, ascending))
        .limit(size)
        .offset((max(page, 1) - 1) * size)
    )
    with engine.connect() as con:
        rows = con.execute(query).all()
    return [
        QueueLine(
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
        for row in rows
    ]


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
    keys, ascending = _sort_key(sort)
    taken = sa.exists().where(
        review_claims.c.item_pk == decisions.c.item_pk,
        review_claims.c.reviewer != reviewer,
        review_claims.c.expires_at > moment,
    )
    base = (
        _filtered(sa.select(decisions.c.item_pk), chosen)
        .where(~taken)
        .order_by(*_ordered(keys, ascending))
        .limit(1)
    )
    with engine.connect() as con:
        if after is not None:
            mark = con.execute(
                sa.select(*keys, decisions.c.item_pk).where(decisions.c.item_pk == after)
            ).first()
            if mark is not None:
                later = sa.tuple_(*keys, decisions.c.item_pk)
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
