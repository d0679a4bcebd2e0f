"""POST /v1/token: OAuth 2.0 client credentials for agencies, password grant for IRS staff."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request

from portcullis.api.problems import ApiProblem
from portcullis.api.road import gateway_of
from portcullis.api.schemas import TokenOut
from portcullis.api.security import TOKEN_PATH, limit_rate
from portcullis.auth import AuthenticationFailed, authenticate, issue_token

router = APIRouter(tags=["authentication"])

Text = Annotated[str | None, Form(max_length=400)]


@router.post(TOKEN_PATH, response_model=TokenOut, summary="Exchange credentials for a token")
def create_token(
    request: Request,
    grant_type: Annotated[Literal["client_credentials", "password"], Form()],
    client_id: Text = None,
    client_secret: Text = None,
    username: Text = None,
    password: Text = None,
) -> TokenOut:
    """Return a short-lived bearer token for a service account or a user."""
    client = request.client.host if request.client else "unknown"
    # Limited before any hashing, so guessing secrets costs the guesser, not the gateway.
    limit_rate(request, f"address:{client}")
    if grant_type == "client_credentials":
        name, secret = _client_credentials(request, client_id, client_secret)
        kind = "service"
    else:
        name, secret, kind = username or "", password or "", "user"
    if not name or not secret:
        raise ApiProblem(400, "invalid_request", "credentials are missing for this grant type")
    try:
        principal = authenticate(gateway_of(request).engine, name, secret)
    except AuthenticationFailed as exc:
        raise ApiProblem(401, "invalid_client", str(exc)) from exc
    if principal.kind != kind:
        raise ApiProblem(
            400, "unauthorized_client", f"a {principal.kind} account cannot use {grant_type}"
        )
    ttl = request.app.state.settings.token_ttl
    token = issue_token(principal, request.app.state.token_secret, ttl=ttl)
    return TokenOut(access_token=token, token_type="Bearer", expires_in=int(ttl.total_seconds()))


def _client_credentials(
    request: Request, client_id: str | None, client_secret: str | None
) -> tuple[str, str]:
    # RFC 6749 section 2.3.1: HTTP Basic is the standard way; form fields are also accepted.
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic" and encoded:
        try:
            name, _, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise ApiProblem(400, "invalid_request", "malformed Basic credentials") from exc
        return name, secret
    return client_id or "", client_secret or ""
