"""Which role sees which page: the access matrix, sign-in redirects and safe return paths."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from portcullis.web.access import PAGES, safe_next
from tests.web.conftest import TestClient

SignedIn = Callable[[str], TestClient]

ALLOWED = {
    "rita.reviewer": {"review", "requests"},
    "avery.auditor": {"requests", "dashboard", "ledger"},
    "omar.operator": {"requests", "dashboard"},
}


@pytest.mark.parametrize(
    ("account", "page"),
    [
        pytest.param(account, page.key, id=f"{account}-{page.key}")
        for account in ALLOWED
        for page in PAGES
    ],
)
def test_each_role_sees_only_its_pages(signed_in: SignedIn, account: str, page: str) -> None:
    client = signed_in(account)
    path = next(p.path for p in PAGES if p.key == page)
    response = client.get(path)
    if page in ALLOWED[account]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert "Not for your role" in response.text


@pytest.mark.parametrize("account", [pytest.param(name, id=name) for name in ALLOWED])
def test_the_menu_lists_only_the_pages_a_role_may_open(signed_in: SignedIn, account: str) -> None:
    client = signed_in(account)
    home = client.get("/ui")
    assert home.status_code == 303
    html = client.get(home.headers["location"]).text
    shown = {page.key for page in PAGES if f'href="{page.path}"' in html}
    assert shown == ALLOWED[account]


def test_a_visitor_without_a_session_is_sent_to_sign_in(client: TestClient) -> None:
    response = client.get("/ui/ledger?index=3")
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/signin?next=%2Fui%2Fledger%3Findex%3D3"


def test_a_form_posted_without_a_session_returns_to_its_page(client: TestClient) -> None:
    response = client.post("/ui/review/1", data={"decision": "approve", "reason": "x"})
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/signin?next=%2Fui%2Freview"


def test_a_forged_session_cookie_counts_as_none(client: TestClient) -> None:
    client.cookies.set("portcullis_session", "forged.token.value", path="/ui")
    assert client.get("/ui/review").status_code == 303


@pytest.mark.parametrize(
    ("target", "kept"),
    [
        pytest.param("/ui/review", "/ui/review", id="page"),
        pytest.param("/ui/ledger?index=2", "/ui/ledger?index=2", id="with-query"),
        pytest.param("https://evil.example/", None, id="other-site"),
        pytest.param("//evil.example/ui/", None, id="scheme-relative"),
        pytest.param("/ui//evil.example", None, id="double-slash"),
        pytest.param("/v1/requests", None, id="outside-the-ui"),
        pytest.param(None, None, id="none"),
    ],
)
def test_sign_in_only_returns_to_pages_of_the_ui(target: str | None, kept: str | None) -> None:
    assert safe_next(target) == kept
