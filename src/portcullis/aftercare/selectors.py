"""Recall selectors: which releases a recall reaches, as a SQL filter plus a test on the item."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from portcullis.aftercare.moments import start_of_day
from portcullis.checks import is_street_line
from portcullis.errors import PortcullisError
from portcullis.store.tables import decisions, items, releases, requests

ZIP_ONLY_ADDRESS = "zip-only-address"

RecordTest = Callable[[Mapping[str, Any]], bool]


class RuleUnknown(PortcullisError):
    """A recall names a rule the gateway does not define."""


class SelectorInvalid(PortcullisError):
    """A recall selector is empty or contradicts itself."""


def _any_record(_record: Mapping[str, Any]) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Selector:
    """Which releases a recall reaches: a SQL filter, then a test on each stored request item."""

    description: str
    where: ColumnElement[bool]
    keeps: RecordTest = _any_record


def one_release(request_id: str, *, row: int | None = None, item_id: str | None = None) -> Selector:
    """Select the release of one item of a request, named by its row or by its item id."""
    if (row is None) == (item_id is None):
        raise SelectorInvalid("name the item by exactly one of its row or its item id")
    if row is not None:
        return Selector(
            f"request {request_id} row {row}",
            sa.and_(items.c.request_id == request_id, items.c.row == row),
        )
    return Selector(
        f"request {request_id} item {item_id}",
        sa.and_(items.c.request_id == request_id, items.c.item_id == item_id),
    )


def whole_request(request_id: str) -> Selector:
    """Select every release made for one request."""
    return Selector(f"request {request_id}", items.c.request_id == request_id)


def released_between(first: dt.date, last: dt.date) -> Selector:
    """Select releases made from the start of `first` to the end of `last` (UTC days)."""
    if last < first:
        raise SelectorInvalid(f"the period ends ({last}) before it starts ({first})")
    return Selector(
        f"released {first.isoformat()} to {last.isoformat()}",
        sa.and_(
            releases.c.released_at >= start_of_day(first),
            releases.c.released_at < start_of_day(last + dt.timedelta(days=1)),
        ),
    )


def by_program(program_id: str) -> Selector:
    """Select every release made under one program."""
    return Selector(f"program {program_id}", requests.c.program_id == program_id)


def zip_only_address() -> Selector:
    """Select releases whose request item gave no street line (the 2025 recall's rule)."""
    # Street-line parsing is not expressible in SQL; every release is a candidate and the
    # stored item record is tested with the same parser the address check uses.
    return Selector(
        "released on a request item without a street line (ZIP-only address)",
        sa.true(),
        lacks_street_line,
    )


def lacks_street_line(record: Mapping[str, Any]) -> bool:
    """Tell whether a stored request item has no street address or post office box line."""
    street = record.get("street")
    return not isinstance(street, str) or not street.strip() or not is_street_line(street)


RULES: Mapping[str, Callable[[], Selector]] = {ZIP_ONLY_ADDRESS: zip_only_address}


def named_rule(name: str) -> Selector:
    """Return the selector of a named recall rule."""
    try:
        return RULES[name]()
    except KeyError:
        known = ", ".join(sorted(RULES))
        raise RuleUnknown(f"no recall rule {name!r}; the rules are: {known}") from None


def all_of(*selectors: Selector) -> Selector:
    """Combine selectors so that a release must satisfy every one of them."""
    if not selectors:
        raise SelectorInvalid("a recall needs at least one selector")
    tests = tuple(selector.keeps for selector in selectors)
    return Selector(
        "; ".join(selector.description for selector in selectors),
        sa.and_(*(selector.where for selector in selectors)),
        lambda record: all(test(record) for test in tests),
    )


def release_query(selector: Selector) -> sa.Select[Any]:
    """Build the query for the releases a selector's SQL filter reaches, with their item facts."""
    return (
        sa.select(
            releases,
            items.c.request_id,
            items.c.row,
            items.c.item_id,
            items.c.record,
            requests.c.program_id,
            requests.c.requesting_agency,
            decisions.c.ledger_index.label("decision_index"),
        )
        .join(items, items.c.id == releases.c.item_pk)
        .join(requests, requests.c.request_id == items.c.request_id)
        .join(decisions, decisions.c.item_pk == releases.c.item_pk)
        .where(selector.where)
        .order_by(items.c.request_id, items.c.row)
    )
