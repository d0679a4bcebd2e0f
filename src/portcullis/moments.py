"""The state store's one rule for times: UTC, a naive time being UTC."""

from __future__ import annotations

import datetime as dt


def as_utc(moment: dt.datetime) -> dt.datetime:
    """Return `moment` in UTC, taking a naive time as UTC (the state store's convention)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
