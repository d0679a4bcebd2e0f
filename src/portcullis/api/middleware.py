"""ASGI layers around every route: bound the body size, and log and count every access."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from http import HTTPStatus
from typing import Any

import anyio
from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portcullis.api.access_chain import append_access
from portcullis.api.logs import FIELDS_ATTRIBUTE, REQUEST_ID, REQUEST_ID_HEADER, request_id_from
from portcullis.api.metrics import UNMATCHED_ROUTE, RequestMetrics
from portcullis.api.problems import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_requests_log = logging.getLogger("portcullis.api.requests")


class BodyLimit:
    """Refuse bodies above the app's bound (413) and bodies of unknown length (411) unread."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is None and b"transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # no body at all
            return
        if declared is None or not declared.isdigit():
            await _refuse(scope, send, 411, "length_required", "give the body's Content-Length")
            return
        # Read from the app's settings on each request, so the bound can be changed in place.
        bound = int(scope["app"].state.settings.max_body_bytes)
        if int(declared) > bound:
            detail = f"the body exceeds {bound} bytes"
            await _refuse(scope, send, 413, "body_too_large", detail)
            return
        await self.app(scope, receive, send)


async def _refuse(scope: Scope, send: Send, status: int, code: str, detail: str) -> None:
    body = json.dumps(
        {
            "type": PROBLEM_TYPE_BASE + code,
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": detail,
            "code": code,
            "instance": scope["path"],
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class AccessLog:
    """Write one access_log row per HTTP request once its response has started."""

    def __init__(self, app: ASGIApp, engine: Engine, metrics: RequestMetrics) -> None:
        self.app = app
        self.engine = engine
        self.metrics = metrics
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = [500]
        started = time.perf_counter()
        took = [0.0]
        request_id = request_id_from(dict(scope["headers"]).get(REQUEST_ID_HEADER.encode()))
        token = REQUEST_ID.set(request_id)

        async def record_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
                took[0] = time.perf_counter() - started
                headers = [*message.get("headers", ()), (b"x-request-id", request_id.encode())]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            row = _row(scope, status[0])
            await anyio.to_thread.run_sync(append_access, self.engine, self._lock, row)
            seconds = took[0] or time.perf_counter() - started
            route = _route(scope)
            self.metrics.observe(row["method"], route, status[0], seconds)
            fields = {
                "method": row["method"],
                "route": route,
                "status": status[0],
                "duration_ms": round(seconds * 1000, 2),
                "principal": row["principal"],
            }
            _requests_log.info("request", extra={FIELDS_ATTRIBUTE: fields})
            REQUEST_ID.reset(token)


def _route(scope: Scope) -> str:
    # The route's template (/v1/requests/{request_id}), never the path itself: one series per route.
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED_ROUTE


def _row(scope: Scope, status: int) -> dict[str, Any]:
    client = scope.get("client")
    state = scope.get("state") or {}
    return {
        "at": dt.datetime.now(dt.UTC),
        "principal": state.get("principal"),
        "client": str(client[0]) if client else None,
        "method": str(scope["method"])[:10],
        "path": str(scope["path"])[:1000],
        "status": status,
    }
