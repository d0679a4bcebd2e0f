"""Who is calling: bearer tokens read into a principal, roles required per route, rate limits."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlows
from fastapi.security import OAuth2

from portcullis.api.problems import ApiProblem
from portcullis.auth import Principal, Role, TokenInvalid, read_token

TOKEN_PATH = "/v1/token"

oauth2 = OAuth2(
    flows=OAuthFlows(clientCredentials=OAuthFlowClientCredentials(tokenUrl=TOKEN_PATH)),
    scheme_name="oauth2",
    description="OAuth 2.0 client credentials (agencies) or password (IRS staff): a bearer token.",
    auto_error=False,
)

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="portcullis"'}


def current_principal(
    request: Request, authorization: Annotated[str | None, Depends(oauth2)]
) -> Principal:
    """Return the principal named by the request's bearer token, or answer 401."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiProblem(401, "unauthenticated", "a bearer token is required", headers=_CHALLENGE)
    try:
        principal = read_token(token.strip(), request.app.state.token_secret)
    except TokenInvalid as exc:
        raise ApiProblem(401, "token_invalid", str(exc), headers=_CHALLENGE) from exc
    request.state.principal = principal.name
    return principal


def limit_rate(request: Request, client: str) -> None:
    """Spend one unit of `client`'s allowance, or answer 429 with when to try again."""
    wait = request.app.state.limiter.take(client)
    if wait > 0:
        retry = str(max(1, math.ceil(wait)))
        raise ApiProblem(
            429,
            "rate_limited",
            f"too many requests; retry in {retry} s",
            headers={"Retry-After": retry},
        )


def require(*roles: Role) -> Callable[..., Principal]:
    """Return a dependency admitting only principals holding one of `roles`."""

    def admit(
        request: Request, principal: Annotated[Principal, Depends(current_principal)]
    ) -> Principal:
        if not any(principal.has(role) for role in roles):
            raise ApiProblem(
                403, "role_required", f"this needs one of the roles: {', '.join(roles)}"
            )
        limit_rate(request, f"account:{principal.name}")
        return principal

    return admit
