"""ASGI layers around every route: bound the body size, and log every access."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http import HTTPStatus
from typing import Any

import anyio
from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portcullis.api.access_chain import append_access
from portcullis.api.problems import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


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

    def __init__(self, app: ASGIApp, engine: Engine) -> None:
        self.app = app
        self.engine = engine
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = [500]

        async def record_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            row = _row(scope, status[0])
            await anyio.to_thread.run_sync(append_access, self.engine, self._lock, row)


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
