"""Sign-in and sign-out: the session cookie, refusals, the pre-session token and CSRF."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import TestClient, csrf_of, sign_in


def test_signing_in_sets_a_strict_http_only_session_cookie(client: TestClient) -> None:
    form = client.get("/ui/signin")
    nonce = re.search(r'name="nonce" value="([^"]+)"', form.text)
    assert nonce is not None
    response = client.post(
        "/ui/signin",
        data={"name": "rita.reviewer", "password": "correct horse battery", "nonce": nonce[1]},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/review"
    cookie = next(
        value
        for value in response.headers.get_list("set-cookie")
        if value.startswith("portcullis_session=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
    assert "Path=/ui" in cookie


@pytest.mark.parametrize(
    ("name", "password", "status", "message"),
    [
        pytest.param(
            "rita.reviewer", "wrong password!", 401, "name or password is wrong", id="password"
        ),
        pytest.param(
            "nobody", "correct horse battery", 401, "name or password is wrong", id="name"
        ),
        pytest.param(
            "ice.service",
            "correct horse battery",
            403,
            "requesting agencies use the API",
            id="requester-has-no-pages",
        ),
    ],
)
def test_refused_sign_ins_start_no_session(
    client: TestClient, name: str, password: str, status: int, message: str
) -> None:
    response = sign_in(client, name, password)
    assert response.status_code == status
    assert message in response.text
    assert "portcullis_session" not in client.cookies
    assert client.get("/ui/requests").status_code == 303


def test_a_sign_in_without_the_form_token_is_refused(client: TestClient) -> None:
    response = client.post(
        "/ui/signin", data={"name": "rita.reviewer", "password": "correct horse battery"}
    )
    assert response.status_code == 403
    assert "expired" in response.text


def test_sign_in_returns_to_the_page_asked_for_if_the_role_opens_it(client: TestClient) -> None:
    form = client.get("/ui/signin?next=%2Fui%2Fledger%3Findex%3D0")
    nonce = re.search(r'name="nonce" value="([^"]+)"', form.text)
    assert nonce is not None
    data = {"password": "correct horse battery", "nonce": nonce[1], "next": "/ui/ledger?index=0"}
    response = client.post("/ui/signin", data={**data, "name": "avery.auditor"})
    assert response.headers["location"] == "/ui/ledger?index=0"


def test_signing_out_needs_the_session_token(client: TestClient) -> None:
    sign_in(client, "omar.operator")
    page = client.get("/ui/requests")
    assert client.post("/ui/signout", data={"csrf": "guess"}).status_code == 403
    assert client.get("/ui/requests").status_code == 200
    response = client.post("/ui/signout", data={"csrf": csrf_of(page.text)})
    assert response.status_code == 303
    assert client.get("/ui/requests").status_code == 303
