"""Load benchmark of the on-demand endpoint: signed one-item requests over loopback HTTP.

Usage: .venv/bin/python bench/bench_api.py [--requests N] [--clients C] [--seconds S]
Builds a throwaway workspace with a small master, serves the API with uvicorn on 127.0.0.1,
pre-signs N one-item requests, then sends them from C concurrent clients until all are sent or
S seconds have passed (whichever comes first), and writes bench/results/api.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import socket
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from portcullis.api import ApiSettings, create_app
from portcullis.auth import Principal, issue_token
from portcullis.contract.columns import MASTER_COLUMNS
from portcullis.initialise import init_workspace
from portcullis.master.loading import load_master_files
from portcullis.programs import get_program
from portcullis.store.database import create_schema, open_engine
from portcullis.submission import sign_request_file

RESULTS = Path(__file__).resolve().parent / "results" / "api.md"
PROGRAM = "ice-address-verification"
MASTER = [
    ("222334444", "María Guadalupe", "", "García López", "", "1979-03-08", "77 Oak Rd", "",
     "San Antonio", "TX", "78209", "2024"),
    ("333445555", "Minh", "", "Nguyễn", "", "1985-11-30", "9 Lotus Ln", "", "Garden Grove", "CA",
     "92840", "2024"),
]  # fmt: skip
ITEM = {
    "first_name": "María Guadalupe", "middle_name": "", "last_name": "García López",
    "name_suffix": "", "date_of_birth": "1979-03-08", "tin": "", "street": "400 Pine Avenue",
    "unit": "Apt 3", "city": "San Antonio", "state": "TX", "zip": "78205",
    "taxable_periods": "2022-2024", "statute": "8 U.S.C. 1253(a)(1)",
    "reason": "Subject of a final order of removal who has not departed the United States.",
    "final_order_date": "2021-05-04",
}  # fmt: skip


@dataclass
class Tally:
    """Latencies and failures, shared by the client threads."""

    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def main() -> None:
    """Run the benchmark and write bench/results/api.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=90.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="portcullis-bench-api-") as folder:
        root = Path(folder)
        workspace = init_workspace(root / "ws", state_url=f"sqlite:///{root / 'state.sqlite'}")
        _load_master(workspace, root)
        uploads = _sign_requests(workspace, root, args.requests)
        settings = ApiSettings(requests_per_second=1e6, burst=1_000_000)
        app = create_app(workspace, settings=settings)
        agency = get_program(app.state.gateway.engine, PROGRAM).requesting_agency
        principal = Principal("bench", "service", frozenset({"requester"}), agency)
        token = issue_token(principal, app.state.token_secret)
        server, thread, port = _start(app)
        try:
            tally, elapsed = _drive(port, token, uploads, args.clients, args.seconds)
        finally:
            # The server's shutdown closes the app's gateway before the workspace is removed.
            server.should_exit = True
            thread.join()
    _write(tally, elapsed, args)


def _load_master(workspace: Any, root: Path) -> None:
    master = root / "master.csv"
    lines = [",".join(MASTER_COLUMNS)] + [",".join(row) for row in MASTER]
    master.write_text("\n".join(lines) + "\n", encoding="utf-8")
    load_master_files(workspace, [master])


def _sign_requests(workspace: Any, root: Path, count: int) -> list[tuple[bytes, str]]:
    engine = open_engine(workspace.state_url)
    create_schema(engine)
    program = get_program(engine, PROGRAM)
    engine.dispose()
    names = ["item_id", *ITEM, "case_number", "recipient_officers"]
    uploads = []
    for n in range(count):
        row = {**ITEM, "item_id": "I-1", "case_number": f"ICE-B-{n:07d}",
               "recipient_officers": f"ICE-HSI-{n:06d}"}  # fmt: skip
        path = root / f"bench-{n}.csv"
        cells = ['"' + str(row[k]).replace('"', '""') + '"' for k in names]
        path.write_text(",".join(names) + "\n" + ",".join(cells) + "\n", encoding="utf-8")
        signed = sign_request_file(path, program, workspace.demo_signer_key_path)
        uploads.append((path.read_bytes(), json.dumps(signed)))
    return uploads


def _start(app: Any) -> tuple[uvicorn.Server, threading.Thread, int]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = int(listener.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the API server did not start")
        time.sleep(0.05)
    return server, thread, port


def _drive(
    port: int, token: str, uploads: list[tuple[bytes, str]], clients: int, seconds: float
) -> tuple[Tally, float]:
    tally = Tally()
    queue = list(reversed(uploads))
    queue_lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client() -> None:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
            while time.monotonic() < stop_at:
                with queue_lock:
                    if not queue:
                        return
                    file_bytes, manifest = queue.pop()
                started = time.perf_counter()
                try:
                    response = http.post("/v1/requests", headers=headers,
                                         files={"file": ("r.csv", file_bytes, "text/csv")},
                                         data={"manifest": manifest})  # fmt: skip
                    status = response.status_code
                except httpx.HTTPError:
                    status = 0
                took = time.perf_counter() - started
                with tally.lock:
                    tally.latencies.append(took)
                    tally.statuses[status] = tally.statuses.get(status, 0) + 1
                    tally.errors += status != 201

    began = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.perf_counter() - began


def _write(tally: Tally, elapsed: float, args: argparse.Namespace) -> None:
    done = len(tally.latencies)
    ordered = sorted(tally.latencies)
    p50 = statistics.median(ordered) * 1000 if ordered else 0.0
    p99 = ordered[min(done - 1, int(done * 0.99))] * 1000 if ordered else 0.0
    rate = done / elapsed if elapsed else 0.0
    text = f"""# API benchmark: the on-demand endpoint over loopback

Written by `bench/bench_api.py` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC.
Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()};
other work was running on the machine at the same time, so treat the figures as a floor.

Each request is one signed item (`POST /v1/requests`, multipart), answered in the same exchange:
intake, statutory checks, matching, the decision, its ledger entry, a signed checkpoint with
witness cosignatures, and the sealed package. Road calls are serialised by one lock per app
(the embedded DuckDB connection is not shared), so concurrency buys overlap of HTTP parsing only.
State database: embedded SQLite. {args.clients} concurrent clients; bounded at {args.requests}
requests or {args.seconds:.0f} s, whichever came first.

| requests | seconds | requests/s | p50 ms | p99 ms | errors |
|---:|---:|---:|---:|---:|---:|
| {done} | {elapsed:.1f} | {rate:.1f} | {p50:.0f} | {p99:.0f} | {tally.errors} |

Statuses: {", ".join(f"{code}: {n}" for code, n in sorted(tally.statuses.items()))}.
"""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
