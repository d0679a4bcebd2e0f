"""Fixtures for the web pages: a shared site for reading, fresh ones for deciding, a browser."""

from __future__ import annotations

import csv
import math
import re
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from httpx import Response
from playwright.sync_api import Browser, BrowserContext, Page, StorageState
from starlette.exceptions import StarletteDeprecationWarning

from portcullis.auth import Role, create_account, users
from portcullis.contract.columns import MASTER_COLUMNS
from portcullis.gateway import Gateway
from portcullis.initialise import init_workspace
from portcullis.master.loading import load_master_files
from portcullis.processing import process_request
from portcullis.web import router
from tests.conftest import GOOD_ITEM, MASTER_ROWS
from tests.test_processing import submit
from tests.web.browser import VIEWPORT, launched_chromium, serving
from tests.web.browser import sign_in as browser_sign_in

# Starlette 1.10 prefers httpx2 for its test client; the pinned httpx still works, so its notice
# is muted here rather than turned into an error by the suite's warning filter.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

__all__ = ["TestClient"]

PASSWORD = "correct horse battery"
ACCOUNTS: dict[str, tuple[Role, ...]] = {
    "rita.reviewer": ("reviewer",),
    "avery.auditor": ("auditor",),
    "omar.operator": ("operator",),
    "ice.service": ("requester",),
}
# Bad rows whose refusals, above the program's refusal-share bound, hold the good rows for review.
BAD_ROWS: tuple[dict[str, str], ...] = ({"street": "UNKNOWN"}, {"zip": "00000", "street": ""})
WriteRequest = Callable[..., Path]


@contextmanager
def cheap_hashing() -> Iterator[None]:
    """Hash account passwords with argon2's cheapest settings while the block runs."""
    # The production cost guards against guessing, which these tests do not exercise; at a third
    # of a second per hash it would make every account slow. Verifying reads the cost from the hash.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
        yield


@pytest.fixture(autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """Create the accounts of every web test cheaply."""
    with cheap_hashing():
        yield


def build_app(gateway: Gateway) -> FastAPI:
    """Build the smallest app that serves the pages: the router, a gateway and a road lock."""
    app = FastAPI()
    app.state.gateway = gateway
    app.state.road_lock = threading.Lock()
    app.include_router(router)
    return app


def create_accounts(gateway: Gateway, *names: str) -> None:
    """Create the named role accounts (argon2 is slow, so only those a test needs)."""
    for name in names:
        roles = ACCOUNTS[name]
        if "requester" in roles:
            create_account(gateway.engine, name, PASSWORD, roles, kind="service", agency="ICE")
        else:
            create_account(gateway.engine, name, PASSWORD, roles)


def hold_batch(gateway: Gateway, path: Path) -> str:
    """Submit and process a request file whose good items end up held for review."""
    request_id = submit(gateway, path)
    assert process_request(gateway, request_id).batch_held
    return request_id


def write_held_batch(path: Path, *, good: int = 5, series: str = "2026") -> Path:
    """Write a request of `good` good items and enough refused ones to hold the good ones."""
    bad = BAD_ROWS * max(1, math.ceil(good * 0.3 / len(BAD_ROWS)))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(GOOD_ITEM))
        writer.writeheader()
        for number, override in enumerate(({},) * good + bad, start=1):
            case = f"ICE-ERO-{series}-{number:06d}"
            writer.writerow(
                {**GOOD_ITEM, "item_id": f"I-{number}", "case_number": case, **override}
            )
    return path


@contextmanager
def opened_site(folder: Path) -> Iterator[Gateway]:
    """Open a workspace in `folder` with the test master, every role account and a held request."""
    workspace = init_workspace(folder / "ws", state_url=f"sqlite:///{folder / 'state.sqlite'}")
    master = folder / "master.csv"
    lines = [",".join(MASTER_COLUMNS)] + [",".join(row) for row in MASTER_ROWS]
    master.write_text("\n".join(lines) + "\n", encoding="utf-8")
    load_master_files(workspace, [master])
    with Gateway.open(workspace) as gateway:
        with cheap_hashing():
            create_accounts(gateway, *ACCOUNTS)
        gateway.workspace.home.joinpath("held-request-id").write_text(
            hold_batch(gateway, write_held_batch(folder / "held.csv")), encoding="utf-8"
        )
        yield gateway


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    """A site that tests only read (never decide on), shared by the whole run."""
    with opened_site(tmp_path_factory.mktemp("site")) as gateway:
        yield gateway


@pytest.fixture
def site_request_id(site: Gateway) -> str:
    """The id of the shared site's held request."""
    return site.workspace.home.joinpath("held-request-id").read_text(encoding="utf-8")


@pytest.fixture
def client(site: Gateway) -> Iterator[TestClient]:
    """An in-process client of the shared site's pages, with no session yet."""
    with TestClient(build_app(site), follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def session_cookies(site: Gateway) -> dict[str, str]:
    """One session cookie per web role account of the shared site, each signed in once."""
    cookies: dict[str, str] = {}
    with TestClient(build_app(site), follow_redirects=False) as test_client:
        for name in ("rita.reviewer", "avery.auditor", "omar.operator"):
            test_client.cookies.clear()
            assert sign_in(test_client, name).status_code == 303
            cookies[name] = str(test_client.cookies["portcullis_session"])
    return cookies


@pytest.fixture
def signed_in(client: TestClient, session_cookies: dict[str, str]) -> Callable[[str], TestClient]:
    """Return a function that makes the shared client act as the named account."""

    def act_as(name: str) -> TestClient:
        client.cookies.clear()
        client.cookies.set("portcullis_session", session_cookies[name], path="/ui")
        return client

    return act_as


@pytest.fixture
def held_request(gateway: Gateway, tmp_path: Path) -> str:
    """A fresh workspace's request whose five good items are held for review."""
    return hold_batch(gateway, write_held_batch(tmp_path / "held.csv"))


@pytest.fixture
def client_for() -> Iterator[Callable[[Gateway], TestClient]]:
    """Return a function that opens a client on any gateway, closed after the test."""
    opened: list[TestClient] = []

    def open_client(gateway: Gateway) -> TestClient:
        test_client = TestClient(build_app(gateway), follow_redirects=False)
        opened.append(test_client.__enter__())
        return opened[-1]

    yield open_client
    for test_client in opened:
        test_client.__exit__(None, None, None)


@pytest.fixture
def fresh_client(gateway: Gateway, held_request: str) -> Iterator[TestClient]:
    """A client of a fresh workspace with a reviewer, an auditor and a held request."""
    create_accounts(gateway, "rita.reviewer", "avery.auditor")
    with TestClient(build_app(gateway), follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium under Playwright, shared by the browser tests of one run."""
    with launched_chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def browser_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    """A site of its own for one module of browser tests, which do decide on held items."""
    with opened_site(tmp_path_factory.mktemp("browser-site")) as gateway:
        yield gateway


@pytest.fixture(scope="module")
def live_url(browser_site: Gateway) -> Iterator[str]:
    """The browser site's pages served over HTTP by uvicorn for a real browser."""
    with serving(build_app(browser_site)) as url:
        yield url


@pytest.fixture(scope="module")
def signed_in_states() -> dict[str, StorageState]:
    """Browser storage (the session cookie) per account, each signed in through the form once."""
    return {}


@pytest.fixture
def open_as(
    browser: Browser, live_url: str, signed_in_states: dict[str, StorageState]
) -> Iterator[Callable[[str | None, str], Page]]:
    """Return a function that opens a path in a new browser context as an account (or nobody)."""
    contexts: list[BrowserContext] = []

    def open_page(account: str | None, path: str) -> Page:
        if account is not None and account not in signed_in_states:
            page = browser_sign_in(browser, live_url, account, PASSWORD)
            signed_in_states[account] = page.context.storage_state()
            contexts.append(page.context)
        state = signed_in_states.get(account) if account else None
        context = browser.new_context(viewport=VIEWPORT, base_url=live_url, storage_state=state)
        contexts.append(context)
        page = context.new_page()
        page.goto(path)
        return page

    yield open_page
    for context in contexts:
        context.close()


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> Response:
    """Sign in through the form as a browser would and return the response."""
    form = client.get("/ui/signin")
    found = re.search(r'name="nonce" value="([^"]+)"', form.text)
    assert found is not None
    response: Response = client.post(
        "/ui/signin", data={"name": name, "password": password, "nonce": found.group(1)}
    )
    return response


def csrf_of(html: str) -> str:
    """Return the CSRF token a page's forms carry."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)
