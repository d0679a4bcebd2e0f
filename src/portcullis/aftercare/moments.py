"""Times as the state store keeps them: UTC, whether or not the backend hands back a zone."""

from __future__ import annotations

import datetime as dt

from portcullis.errors import PortcullisError
from portcullis.moments import as_utc

__all__ = ["TimeWithoutZone", "as_utc", "require_zone", "start_of_day"]


class TimeWithoutZone(PortcullisError):
    """A time was given without a time zone, so the moment it names is unknown."""


def require_zone(moment: dt.datetime, what: str) -> dt.datetime:
    """Return `moment` in UTC, refusing a naive time given by a caller."""
    if moment.tzinfo is None:
        raise TimeWithoutZone(f"{what} must carry a time zone")
    return moment.astimezone(dt.UTC)


def start_of_day(day: dt.date) -> dt.datetime:
    """Return midnight UTC at the start of `day`."""
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def utc_text(moment: dt.datetime) -> str:
    """Return `moment` as UTC ISO 8601 text ending in Z."""
    return as_utc(moment).isoformat().replace("+00:00", "Z")
