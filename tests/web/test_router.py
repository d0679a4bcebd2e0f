"""The router as the HTTP API's application includes it: pages served beside the API."""

from __future__ import annotations

import pytest

from portcullis.api.app import create_app
from portcullis.gateway import Gateway
from portcullis.workspace import Workspace
from tests.web.conftest import TestClient, build_app


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/", id="root"),
        pytest.param("/v1/requests", id="api"),
        pytest.param("/signin", id="outside-ui"),
    ],
)
def test_the_pages_claim_no_path_outside_ui(site: Gateway, path: str) -> None:
    with TestClient(build_app(site)) as client:
        assert client.get(path).status_code == 404


def test_the_api_application_serves_the_sign_in_page(workspace: Workspace) -> None:
    with TestClient(create_app(workspace), follow_redirects=False) as client:
        response = client.get("/ui/signin")
        assert response.status_code == 200
        assert '<label for="password">Password</label>' in response.text
        assert client.get("/ui/review").headers["location"].startswith("/ui/signin?next=")
