"""Sign-in and sign-out pages: name and password in, a session cookie out."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from portcullis.auth import AuthenticationFailed, authenticate
from portcullis.web.access import PREFIX, Page, safe_next, visible_pages
from portcullis.web.session import (
    COOKIE_PATH,
    csrf_matches,
    end_session,
    gateway_of,
    open_session,
    start_session,
)
from portcullis.web.templates import render

router = APIRouter()
# Before there is a session, the sign-in form is protected by a random value in a cookie that
# must come back in the form as well (a cross-site page can post the form but not read the cookie).
SIGNIN_COOKIE = "portcullis_signin"


def _form(
    request: Request, *, error: str | None, status_code: int, next_path: str | None
) -> Response:
    nonce = secrets.token_urlsafe(32)
    response = render(
        "signin.html",
        status_code=status_code,
        viewer=None,
        error=error,
        nonce=nonce,
        next_path=next_path or "",
    )
    response.set_cookie(
        SIGNIN_COOKIE,
        nonce,
        max_age=900,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


def _opens(path: str, pages: tuple[Page, ...]) -> bool:
    bare = path.split("?")[0]
    return any(bare == page.path or bare.startswith(page.path + "/") for page in pages)


@router.get(PREFIX)
@router.get(f"{PREFIX}/")
def home(request: Request) -> Response:
    """Send a signed-in account to its first page, anyone else to the sign-in form."""
    session = open_session(request)
    pages = visible_pages(session.principal) if session else ()
    target = pages[0].path if pages else f"{PREFIX}/signin"
    return RedirectResponse(target, status_code=303)


@router.get(f"{PREFIX}/signin")
def signin_form(request: Request, next: str | None = None) -> Response:
    """Show the sign-in form."""
    return _form(request, error=None, status_code=200, next_path=safe_next(next))


@router.post(f"{PREFIX}/signin")
def signin(
    request: Request,
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    nonce: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    """Check the name and password, then start a session for an account that has web pages."""
    next_path = safe_next(next)
    expected = request.cookies.get(SIGNIN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected.encode(), nonce.encode()):
        return _form(
            request,
            error="The sign-in form expired. Please sign in again.",
            status_code=403,
            next_path=next_path,
        )
    try:
        principal = authenticate(gateway_of(request).engine, name.strip(), password)
    except AuthenticationFailed:
        return _form(
            request, error="The name or password is wrong.", status_code=401, next_path=next_path
        )
    pages = visible_pages(principal)
    if not pages:
        roles = ", ".join(sorted(principal.roles))
        return _form(
            request,
            error=f"Your roles ({roles}) open no web pages; requesting agencies use the API.",
            status_code=403,
            next_path=None,
        )
    target = next_path if next_path and _opens(next_path, pages) else pages[0].path
    response = RedirectResponse(target, status_code=303)
    start_session(request, response, principal)
    response.delete_cookie(SIGNIN_COOKIE, path=COOKIE_PATH)
    return response


@router.post(f"{PREFIX}/signout")
def signout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    """End the session and return to the sign-in form."""
    session = open_session(request)
    if session is not None and not csrf_matches(session, csrf):
        return render(
            "message.html",
            status_code=403,
            viewer=None,
            heading="Not signed out",
            message="The form did not carry this session's token.",
        )
    response = RedirectResponse(f"{PREFIX}/signin", status_code=303)
    end_session(response)
    return response
