"""Short-lived signed bearer tokens (JWT, HS256, keyed by the workspace's token secret)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import jwt

from portcullis.auth.roles import ROLES, Principal
from portcullis.errors import PortcullisError

ISSUER = "portcullis"
DEFAULT_TTL = dt.timedelta(minutes=15)


class TokenInvalid(PortcullisError):
    """A bearer token is malformed, forged or expired."""


def issue_token(
    principal: Principal,
    secret: bytes,
    *,
    ttl: dt.timedelta = DEFAULT_TTL,
    now: dt.datetime | None = None,
) -> str:
    """Return a token naming the principal, its kind, roles and agency, valid for `ttl`."""
    issued = now or dt.datetime.now(dt.UTC)
    claims = {
        "iss": ISSUER,
        "sub": principal.name,
        "kind": principal.kind,
        "roles": sorted(principal.roles),
        "agency": principal.agency,
        "iat": int(issued.timestamp()),
        "exp": int((issued + ttl).timestamp()),
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def read_token(token: str, secret: bytes) -> Principal:
    """Verify a token and return its principal, or raise TokenInvalid."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=["HS256"], issuer=ISSUER, options={"require": ["exp", "sub"]}
        )
    except jwt.PyJWTError as exc:
        raise TokenInvalid(f"token rejected: {exc}") from exc
    roles = frozenset(r for r in claims.get("roles", []) if r in ROLES)
    kind: Literal["user", "service"] = "service" if claims.get("kind") == "service" else "user"
    return Principal(name=str(claims["sub"]), kind=kind, roles=roles, agency=claims.get("agency"))
