"""Which role sees which page, and the gate every page passes before it reads anything."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from portcullis.auth import Principal, Role
from portcullis.web.session import Session, open_session
from portcullis.web.templates import render

PREFIX = "/ui"


@dataclass(frozen=True, slots=True)
class Page:
    """One page of the web UI: its key, title, path and the roles that may see it."""

    key: str
    title: str
    path: str
    roles: frozenset[Role]


PAGES: tuple[Page, ...] = (
    Page("review", "Review queue", f"{PREFIX}/review", frozenset({"reviewer"})),
    Page(
        "requests",
        "Requests",
        f"{PREFIX}/requests",
        frozenset({"reviewer", "auditor", "operator"}),
    ),
    Page("dashboard", "Oversight", f"{PREFIX}/dashboard", frozenset({"auditor", "operator"})),
    Page("ledger", "Ledger", f"{PREFIX}/ledger", frozenset({"auditor"})),
)
_BY_KEY = {page.key: page for page in PAGES}


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in account looking at a page, and the pages its roles open."""

    session: Session
    pages: tuple[Page, ...]
    current: str

    @property
    def principal(self) -> Principal:
        """The account behind the session."""
        return self.session.principal

    def may_see(self, key: str) -> bool:
        """Tell whether the account may open the page named `key`."""
        return any(page.key == key for page in self.pages)


def visible_pages(principal: Principal) -> tuple[Page, ...]:
    """Return the pages whose roles the principal holds, in menu order."""
    return tuple(page for page in PAGES if page.roles & principal.roles)


def safe_next(target: str | None) -> str | None:
    """Return `target` only if it is a path inside the web UI, so sign-in never redirects away."""
    if target and target.startswith(f"{PREFIX}/") and "//" not in target and "\\" not in target:
        return target
    return None


def admit(request: Request, key: str) -> Viewer | Response:
    """Return the viewer of page `key`, or the response sending them to sign in or refusing them."""
    session = open_session(request)
    page = _BY_KEY[key]
    if session is None:
        # A form posted after the session expired returns to its page, not to the POST address.
        wanted = request.url.path if request.method == "GET" else page.path
        if request.method == "GET" and request.url.query:
            wanted += f"?{request.url.query}"
        return RedirectResponse(f"{PREFIX}/signin?next={quote(wanted, safe='')}", status_code=303)
    viewer = Viewer(session=session, pages=visible_pages(session.principal), current=key)
    if not page.roles & session.principal.roles:
        return render("forbidden.html", status_code=403, viewer=viewer, page=page)
    return viewer
