"""A live server for the pages and Debian's chromium driven by Playwright, for the browser tests."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, Locator, Page, ViewportSize, sync_playwright

CHROMIUM = Path(os.environ.get("PORTCULLIS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VIEWPORT: ViewportSize = {"width": 1200, "height": 860}


def require_chromium() -> Path:
    """Return Debian's chromium, or skip (fail in CI) with a clear message when it is absent."""
    if CHROMIUM.is_file():
        return CHROMIUM
    message = (
        f"the browser tests need Debian's chromium at {CHROMIUM} "
        "(apt-get install -y chromium; never 'playwright install')"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI is set and {message}", pytrace=False)
    pytest.skip(message)


@contextmanager
def launched_chromium() -> Iterator[Browser]:
    """Launch headless chromium through Playwright and close it afterwards."""
    executable = require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve `app` with uvicorn on a free local port in a thread and yield its base URL."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        started = threading.Event()
        # uvicorn exposes readiness only as a flag; wait on it without asserting on time.
        while not server.started and thread.is_alive():
            started.wait(0.02)
        if not server.started:
            raise RuntimeError("the test server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()
        listener.close()


def sign_in(browser: Browser, base_url: str, name: str, password: str) -> Page:
    """Open a fresh browser context and sign in through the form with the keyboard."""
    context = browser.new_context(viewport=VIEWPORT, base_url=base_url)
    page = context.new_page()
    page.goto("/ui/signin")
    page.get_by_label("Account name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")
    page.wait_for_load_state()
    return page


def screenshot(page: Page, name: str, *, part: Locator | None = None) -> Path:
    """Save a screenshot of the page's view (or of one part) as docs/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if part is not None:
        part.screenshot(path=str(path), animations="disabled", caret="hide")
    else:
        page.screenshot(path=str(path), animations="disabled", caret="hide")
    return path
