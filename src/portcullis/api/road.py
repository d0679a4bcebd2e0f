"""How a route reaches the road: the gateway the app holds open.

There is no app-wide lock: each road call uses its own state-store connection and transaction,
and each thread its own cursor on the master (`Gateway.master`, `Gateway.matcher`).
"""

from __future__ import annotations

from fastapi import Request

from portcullis.gateway import Gateway


def gateway_of(request: Request) -> Gateway:
    """Return the gateway the app holds open."""
    gateway: Gateway = request.app.state.gateway
    return gateway
