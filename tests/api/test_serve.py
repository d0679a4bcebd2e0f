"""`portcullis serve` and `portcullis accounts` from the command line, as an operator runs them."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from portcullis.api import ApiSettings, create_app
from portcullis.api.access_chain import verify_access_log
from portcullis.auth import Principal, issue_token
from portcullis.cli.app import app as cli
from portcullis.client import GatewayClient
from portcullis.keys import load_private_key
from portcullis.ledger import Ledger
from portcullis.programs import get_program
from portcullis.store.database import open_engine
from portcullis.submission import sign_request_file
from portcullis.workspace import Workspace
from tests.api.conftest import PROGRAM, TestClient, item_signer, upload

MAIN = "from portcullis.cli.app import main; main()"


def test_accounts_create_stores_a_hashed_secret_and_roles(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTCULLIS_ACCOUNT_SECRET", "a long enough secret")
    home = ["--home", str(workspace.home)]
    created = CliRunner().invoke(
        cli, ["accounts", "create", "ice-gw", "--role", "requester", "--service",
              "--agency", "ICE", *home],
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    listed = CliRunner().invoke(cli, ["accounts", "list", *home])
    assert "ice-gw" in listed.output and "requester" in listed.output
    wrong = CliRunner().invoke(cli, ["accounts", "create", "x", "--role", "king", *home])
    assert wrong.exit_code == 1 and "unknown role king" in wrong.output


def test_serve_answers_health_and_stops_on_sigterm(workspace: Workspace) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-c", MAIN, "serve", "--home", str(workspace.home),
               "--port", str(port)]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        body = _wait_for_health(f"http://127.0.0.1:{port}/health", server)
    finally:
        server.send_signal(signal.SIGTERM)
        _, log = server.communicate(timeout=60)
    assert body == {"status": "ok"}
    # Uvicorn re-raises the signal once shut down; the log shows the shutdown was orderly.
    assert b"Application shutdown complete" in log


def _wait_for_health(url: str, server: subprocess.Popen[bytes]) -> object:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.loads(response.read())
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise AssertionError("portcullis serve never answered /health")


def test_the_in_process_worker_answers_a_queued_request(
    workspace: Workspace, request_file: Callable[..., Path]
) -> None:
    settings = ApiSettings(on_demand_limit=1, run_worker=True)
    application = create_app(workspace, settings=settings)
    road = application.state.gateway
    path = request_file({}, {"recipient_officers": "ICE-HSI-00002"})
    signed = sign_request_file(
        path, get_program(road.engine, PROGRAM), workspace.demo_signer_key_path
    )
    requester = Principal("bot", "service", frozenset({"requester"}),
                          get_program(road.engine, PROGRAM).requesting_agency)  # fmt: skip
    auth = {"Authorization": f"Bearer {issue_token(requester, application.state.token_secret)}"}
    with TestClient(application) as client:
        queued = client.post("/v1/requests", headers=auth, **upload(path, signed))
        assert queued.status_code == 202
        deadline = time.monotonic() + 60
        status = queued.json()
        while status["job_state"] != "done" and time.monotonic() < deadline:
            time.sleep(0.1)
            status = client.get(queued.headers["location"], headers=auth).json()
    assert (status["job_state"], status["decided"]) == ("done", 2)


def test_serve_with_two_workers_answers_concurrent_items_from_both_processes(
    workspace: Workspace,
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-c", MAIN, "serve", "--home", str(workspace.home),
               "--port", str(port), "--workers", "2", "--requests-per-second", "1000"]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for_health(f"http://127.0.0.1:{port}/health", server)
        answers = _ask_concurrently(workspace, f"http://127.0.0.1:{port}", count=12)
    finally:
        server.send_signal(signal.SIGTERM)
        _, log = server.communicate(timeout=60)
    assert sorted(answers) == [201] * 12
    # Uvicorn's supervisor names each worker process it starts.
    started = {line for line in log.decode().splitlines() if "Started server process" in line}
    assert len(started) == 2
    engine = open_engine(workspace.state_url)
    try:
        ledger = Ledger(engine, load_private_key(workspace.ledger_key_path),
                        workspace.ledger_origin)  # fmt: skip
        assert ledger.verify().ok
        assert verify_access_log(engine) > 12
    finally:
        engine.dispose()


def _ask_concurrently(workspace: Workspace, base_url: str, *, count: int) -> list[int]:
    sign = item_signer(workspace)
    bodies = [
        sign(case_number=f"ICE-SRV-{n:04d}", recipient_officers=f"O-{n}") for n in range(count)
    ]
    engine = open_engine(workspace.state_url)
    agency = get_program(engine, PROGRAM).requesting_agency
    engine.dispose()
    principal = Principal("bot", "service", frozenset({"requester"}), agency)
    token = issue_token(principal, workspace.token_secret_path.read_bytes())
    with httpx.Client(base_url=base_url, timeout=60) as http:
        client = GatewayClient(base_url, token, http=http)
        with ThreadPoolExecutor(max_workers=6) as pool:
            return [answer.status for answer in pool.map(client.ask, bodies)]
