"""The sign-in session: a signed token in an HttpOnly cookie, and its per-session CSRF token."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

from fastapi import Request, Response

from portcullis.auth import Principal, TokenInvalid, issue_token, read_token
from portcullis.gateway import Gateway

COOKIE = "portcullis_session"
COOKIE_PATH = "/ui"
SESSION_TTL = dt.timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in account and the CSRF token its forms must carry."""

    principal: Principal
    csrf: str


def gateway_of(request: Request) -> Gateway:
    """Return the open gateway the application was started with."""
    gateway: Gateway = request.app.state.gateway
    return gateway


def token_secret(request: Request) -> bytes:
    """Read the workspace's token secret, the same one that signs the API's bearer tokens."""
    return gateway_of(request).workspace.token_secret_path.read_bytes()


def csrf_for(secret: bytes, token: str) -> str:
    """Derive the session's CSRF token from its session token, so nothing needs storing."""
    return hmac.new(secret, b"csrf\x00" + token.encode(), hashlib.sha256).hexdigest()


def open_session(request: Request) -> Session | None:
    """Return the session named by the request's cookie, or None if absent, forged or expired."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    secret = token_secret(request)
    try:
        principal = read_token(token, secret)
    except TokenInvalid:
        return None
    return Session(principal=principal, csrf=csrf_for(secret, token))


def csrf_matches(session: Session, submitted: str) -> bool:
    """Tell whether a form carried this session's CSRF token (compared in constant time)."""
    return hmac.compare_digest(session.csrf.encode(), submitted.encode())


def start_session(request: Request, response: Response, principal: Principal) -> None:
    """Issue a token for `principal` and set it as an HttpOnly, SameSite=Strict cookie."""
    token = issue_token(principal, token_secret(request), ttl=SESSION_TTL)
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(SESSION_TTL.total_seconds()),
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def end_session(response: Response) -> None:
    """Remove the session cookie."""
    response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")


def road_lock(request: Request) -> AbstractContextManager[object]:
    """Return the lock the application holds around calls into the road (a no-op if it has none)."""
    lock: AbstractContextManager[object] | None = getattr(request.app.state, "road_lock", None)
    return lock if lock is not None else nullcontext()
