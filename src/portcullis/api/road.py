"""How a route reaches the road: the app's open gateway, and the lock that serialises its calls."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from fastapi import Request

from portcullis.gateway import Gateway

P = ParamSpec("P")
T = TypeVar("T")


def gateway_of(request: Request) -> Gateway:
    """Return the gateway the app holds open."""
    gateway: Gateway = request.app.state.gateway
    return gateway


def lock_of(request: Request) -> threading.Lock:
    """Return the lock every road call of this app holds (the DuckDB connection is not shared)."""
    lock: threading.Lock = request.app.state.road_lock
    return lock


def on_road(request: Request, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run one road function while holding the app's road lock."""
    with lock_of(request):
        return call(*args, **kwargs)
