"""The packaged stylesheet and script, and the safety headers every page carries."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.web.conftest import TestClient

SignedIn = Callable[[str], TestClient]


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        pytest.param("portcullis.css", "text/css", id="css"),
        pytest.param("verify.js", "text/javascript", id="js"),
        pytest.param("review.js", "text/javascript", id="review-js"),
        pytest.param("progress.js", "text/javascript", id="progress-js"),
    ],
)
def test_the_packaged_files_are_served(client: TestClient, name: str, media_type: str) -> None:
    response = client.get(f"/ui/static/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("missing.css", id="unknown"),
        pytest.param("..%2F__init__.py", id="traversal"),
        pytest.param("templates", id="folder"),
    ],
)
def test_nothing_else_in_the_package_is_served(client: TestClient, name: str) -> None:
    assert client.get(f"/ui/static/{name}").status_code == 404


def test_pages_forbid_framing_caching_and_foreign_scripts(signed_in: SignedIn) -> None:
    headers = signed_in("avery.auditor").get("/ui/ledger").headers
    assert headers["cache-control"] == "no-store"
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("portcullis.css", id="css"),
        pytest.param("verify.js", id="js"),
        pytest.param("review.js", id="review-js"),
        pytest.param("progress.js", id="progress-js"),
    ],
)
def test_no_static_file_reaches_for_the_internet(client: TestClient, name: str) -> None:
    text = client.get(f"/ui/static/{name}").text
    assert "http://" not in text and "https://" not in text and "@import" not in text
