"""Claims on held items: a reviewer takes one item for a while, and no one else may settle it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from portcullis.errors import PortcullisError
from portcullis.store.tables import decisions, review_claims

# Long enough to read one item's evidence and decide; short enough that a reviewer who walks away
# does not hold an item for the rest of the day.
CLAIM_TTL = dt.timedelta(minutes=15)


class ClaimRefused(PortcullisError):
    """The item cannot be claimed by this reviewer now."""


class ItemClaimedByAnother(ClaimRefused):
    """Another reviewer holds a live claim on the item."""


class ItemNotHeld(ClaimRefused):
    """The item is not waiting for review, so there is nothing to claim."""


@dataclass(frozen=True, slots=True)
class Claim:
    """Who holds a held item, and until when."""

    item_pk: int
    reviewer: str
    expires_at: dt.datetime


def _utc(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; every moment the store holds is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def live_claim(con: Connection, item_pk: int, now: dt.datetime) -> Claim | None:
    """Return the claim on `item_pk` if one is still running at `now`."""
    row = con.execute(sa.select(review_claims).where(review_claims.c.item_pk == item_pk)).first()
    if row is None or _utc(row.expires_at) <= now:
        return None
    return Claim(item_pk=row.item_pk, reviewer=row.reviewer, expires_at=_utc(row.expires_at))


def refuse_if_claimed_by_another(
    con: Connection, item_pk: int, reviewer: str, now: dt.datetime
) -> None:
    """Raise ItemClaimedByAnother when someone other than `reviewer` holds a live claim."""
    claim = live_claim(con, item_pk, now)
    if claim is not None and claim.reviewer != reviewer:
        until = claim.expires_at.strftime("%H:%M UTC")
        raise ItemClaimedByAnother(f"item {item_pk} is claimed by {claim.reviewer} until {until}")


def claim_item(
    engine: Engine, item_pk: int, reviewer: str, *, now: dt.datetime | None = None
) -> Claim:
    """Give `reviewer` the claim on a held item, dropping any other claim they hold.

    A reviewer works on one item at a time. The claim is taken atomically: an expired claim or the
    reviewer's own is renewed, a live claim of another reviewer raises ItemClaimedByAnother, and
    an item that is not held raises ItemNotHeld.
    """
    moment = now or dt.datetime.now(dt.UTC)
    values = {"reviewer": reviewer, "claimed_at": moment, "expires_at": moment + CLAIM_TTL}
    with engine.begin() as con:
        held = con.execute(
            sa.select(decisions.c.outcome).where(decisions.c.item_pk == item_pk)
        ).scalar_one_or_none()
        if held != "pending_review":
            raise ItemNotHeld(f"item {item_pk} is not waiting for review")
        con.execute(
            review_claims.delete().where(
                review_claims.c.reviewer == reviewer, review_claims.c.item_pk != item_pk
            )
        )
        renewed = con.execute(
            review_claims.update()
            .where(
                review_claims.c.item_pk == item_pk,
                sa.or_(review_claims.c.reviewer == reviewer, review_claims.c.expires_at <= moment),
            )
            .values(**values)
        ).rowcount
        if not renewed:
            try:
                with con.begin_nested():
                    con.execute(review_claims.insert().values(item_pk=item_pk, **values))
            except IntegrityError:
                refuse_if_claimed_by_another(con, item_pk, reviewer, moment)
                raise
    return Claim(item_pk=item_pk, reviewer=reviewer, expires_at=moment + CLAIM_TTL)


def release_claims(con: Connection, item_pk: int) -> None:
    """Drop every claim on an item (it has been settled)."""
    con.execute(review_claims.delete().where(review_claims.c.item_pk == item_pk))
