"""The recipient's confirmations of receipt and of disposal, each recorded in the ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from portcullis.aftercare.entries import (
    DISPOSAL_CONFIRMED,
    RECEIPT_CONFIRMED,
    Confirmation,
    confirmation_entry,
    confirmation_key,
)
from portcullis.aftercare.moments import as_utc, require_zone
from portcullis.errors import PortcullisError
from portcullis.gateway import Gateway
from portcullis.store.tables import items, releases, requests


class ReleaseNotFound(PortcullisError):
    """No release exists for the request and row named."""


class ConfirmationInvalid(PortcullisError):
    """A confirmation names no one, or is dated before the release it confirms."""


@dataclass(frozen=True, slots=True)
class ConfirmationRecord:
    """A recorded confirmation: which release, what, by whom, when, and its ledger index."""

    request_id: str
    row: int
    kind: Confirmation
    confirmed_by: str
    confirmed_at: dt.datetime
    ledger_index: int


def confirm_receipt(
    gateway: Gateway,
    request_id: str,
    row: int,
    *,
    confirmed_by: str,
    at: dt.datetime | None = None,
) -> ConfirmationRecord:
    """Record that the recipient agency confirmed it received the package of one release."""
    return _confirm(gateway, RECEIPT_CONFIRMED, request_id, row, confirmed_by, at)


def confirm_disposal(
    gateway: Gateway,
    request_id: str,
    row: int,
    *,
    confirmed_by: str,
    at: dt.datetime | None = None,
) -> ConfirmationRecord:
    """Record that the recipient agency confirmed it destroyed or returned one release's data."""
    return _confirm(gateway, DISPOSAL_CONFIRMED, request_id, row, confirmed_by, at)


def _confirm(
    gateway: Gateway,
    kind: Confirmation,
    request_id: str,
    row: int,
    confirmed_by: str,
    at: dt.datetime | None,
) -> ConfirmationRecord:
    if not confirmed_by.strip():
        raise ConfirmationInvalid("a confirmation needs the name of who gave it")
    confirmed_at = require_zone(at, "the confirmation time") if at else dt.datetime.now(dt.UTC)
    release = _find_release(gateway, request_id, row)
    if confirmed_at < as_utc(release["released_at"]):
        raise ConfirmationInvalid(
            f"request {request_id} row {row} was released after the confirmation's time"
        )
    # The ledger comes first: a repeated confirmation returns the first one, unchanged.
    index = gateway.ledger.append(
        confirmation_entry(
            kind,
            request_id=request_id,
            row=row,
            item_id=release["item_id"],
            program_id=release["program_id"],
            confirmed_by=confirmed_by.strip(),
            confirmed_at=confirmed_at,
        ),
        decision_key=confirmation_key(kind, release["item_pk"]),
    )
    entry = gateway.ledger.entry(index)
    recorded_at = dt.datetime.fromisoformat(str(entry["confirmed_at"]))
    column = (
        releases.c.receipt_confirmed_at if kind == RECEIPT_CONFIRMED else releases.c.disposed_at
    )
    with gateway.engine.begin() as con:
        con.execute(
            releases.update()
            .where(releases.c.item_pk == release["item_pk"], column.is_(None))
            .values({column: recorded_at})
        )
    gateway.integrator.checkpoint()  # signed by the integrator that leads
    return ConfirmationRecord(request_id, row, kind, str(entry["confirmed_by"]), recorded_at, index)


def _find_release(gateway: Gateway, request_id: str, row: int) -> dict[str, Any]:
    query = (
        sa.select(
            releases.c.item_pk,
            releases.c.released_at,
            items.c.item_id,
            requests.c.program_id,
        )
        .join(items, items.c.id == releases.c.item_pk)
        .join(requests, requests.c.request_id == items.c.request_id)
        .where(items.c.request_id == request_id, items.c.row == row)
    )
    with gateway.engine.connect() as con:
        found = con.execute(query).first()
    if found is None:
        raise ReleaseNotFound(f"no release for request {request_id} row {row}")
    return dict(found._mapping)
