"""Load benchmark of the on-demand door: a fixed arrival rate of signed one-item requests.

Usage: .venv/bin/python bench/bench_api.py [--taxpayers N] [--run BACKEND:DOOR:WORKERS:RATE ...]
           [--seconds S]
Builds a throwaway workspace per backend (SQLite, or PostgreSQL from PORTCULLIS_BENCH_POSTGRES_URL)
with a generated master, serves it with `portcullis serve` in its own process(es) on 127.0.0.1,
and sends pre-signed one-item requests at a fixed rate for a bounded time (an open model: a
request is sent at its scheduled moment whether or not earlier ones were answered; latency is
counted from that moment). After the run the ledger is verified with `portcullis ledger verify`.
Writes bench/results/api.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
import uvicorn

from portcullis.api import ApiSettings, create_app
from portcullis.auth import Principal, issue_token
from portcullis.client import AgencySigner, multipart_request
from portcullis.initialise import init_workspace
from portcullis.keys import load_private_key
from portcullis.ledger.tables import ledger_checkpoints
from portcullis.master.loading import load_master_files
from portcullis.programs import Program, get_program
from portcullis.store.database import drop_dedicated_schema, open_engine
from portcullis.synth import generate_population, generate_request, write_population
from portcullis.workspace import Workspace

RESULTS = Path(__file__).resolve().parent / "results" / "api.md"
PROGRAM = "ice-address-verification"
POSTGRES_ENV = "PORTCULLIS_BENCH_POSTGRES_URL"
PORTCULLIS = str(Path(sys.executable).with_name("portcullis"))
SEED = 14
# Items generated (and kept) at once, so that runs of different rates reuse one draw.
ITEMS_KEPT = 20_000
# Figures of the door before group commit and before the single-item door (BENCHMARKS.md history).
EARLIER = """| when | door | state | clients | requests/s | p50 ms | p99 ms | errors |
|---|---|---|---|---:|---:|---:|---:|
| 29 Nov 2026 | multipart; one lock; own checkpoint | SQLite | 4 | 2.5 | 1,308 | 4,357 | 0 |
| 7 Dec 2026 03:40 | multipart; one lock; group commit | SQLite | 4 | 6.5 | 620 | 676 | 0 |"""


@dataclass(frozen=True, slots=True)
class Run:
    """One configuration: state backend, door, server processes and arrival rate."""

    backend: str
    door: str
    workers: int
    rate: float

    @classmethod
    def parse(cls, text: str) -> Run:
        """Read BACKEND:DOOR:WORKERS:RATE, e.g. sqlite:json:2:100."""
        backend, door, workers, rate = text.split(":")
        if backend not in ("sqlite", "postgres") or door not in ("json", "multipart"):
            raise argparse.ArgumentTypeError(f"bad run {text!r}")
        return cls(backend, door, int(workers), float(rate))


@dataclass
class Workload:
    """A workspace with its master loaded, a requester's token and pre-signed requests."""

    workspace: Workspace
    headers: dict[str, str]
    program: Program
    items: list[dict[str, str]]
    signed: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def bodies(self, door: str) -> Iterator[dict[str, Any]]:
        """Yield httpx keyword arguments for each pre-signed request of `door`."""
        if door not in self.signed:
            self.signed[door] = [self._sign(door, n, item) for n, item in enumerate(self.items)]
        yield from self.signed[door]

    def _sign(self, door: str, n: int, item: dict[str, str]) -> dict[str, Any]:
        key = load_private_key(self.workspace.demo_signer_key_path)
        body = AgencySigner.for_program(self.program, key).item_request(
            item, request_id=f"BENCH-{door}-{n:07d}"
        )
        if door == "json":
            return {"url": "/v1/items", "json": body}
        return {"url": "/v1/requests", **multipart_request(body)}


def generated_data(folder: Path, taxpayers: int, count: int) -> tuple[Path, list[dict[str, str]]]:
    """Return the generated master file and `count` items drawn from it, reusing `folder`'s copy.

    The same seeds give the same bytes, so a master generated once serves every run of a size.
    """
    folder = folder / f"taxpayers-{taxpayers}"
    master = folder / "master.parquet"
    items_file = folder / "items.json"
    if master.is_file() and items_file.is_file():
        kept: list[dict[str, str]] = json.loads(items_file.read_text())
        if len(kept) >= count:
            return master, kept[:count]
    population = generate_population(taxpayers, SEED)
    batch = generate_request(population, max(count, ITEMS_KEPT), SEED + 1, adversarial_share=0.0)
    master = next(p for p in write_population(population, folder, "parquet"))
    rows = batch.items.to_pylist()
    items = [{k: ("" if v is None else str(v)) for k, v in row.items()} for row in rows]
    items_file.write_text(json.dumps(items))
    return master, items[:count]


def build_workload(
    root: Path, count: int, *, backend: str, taxpayers: int = 2000, cache: Path | None = None
) -> Workload:
    """Create a workspace with a generated master and `count` request items drawn from it."""
    url = f"sqlite:///{root / 'state.sqlite'}"
    if backend == "postgres":
        url = os.environ[POSTGRES_ENV]
    workspace = init_workspace(root / "ws", state_url=url)
    master, items = generated_data(cache or root / "data", taxpayers, count)
    load_master_files(workspace, [master])
    engine = open_engine(workspace.state_url)
    program = get_program(engine, PROGRAM)
    engine.dispose()
    principal = Principal("bench", "service", frozenset({"requester"}), program.requesting_agency)
    token = issue_token(principal, workspace.token_secret_path.read_bytes())
    return Workload(workspace, {"Authorization": f"Bearer {token}"}, program, items)


@dataclass
class Server:
    """A running API: in this process (for profiling) or as `portcullis serve` processes."""

    base_url: str
    uvicorn_server: uvicorn.Server | None = None
    thread: threading.Thread | None = None
    process: subprocess.Popen[bytes] | None = None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(work: Workload, *, workers: int, in_process: bool = False) -> Server:
    """Serve the workload's workspace and wait until it answers /health."""
    port = _free_port()
    server = Server(f"http://127.0.0.1:{port}")
    if in_process:
        settings = ApiSettings(requests_per_second=1e6, burst=1_000_000)
        app = create_app(work.workspace, settings=settings)
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        server.uvicorn_server = uvicorn.Server(config)
        server.thread = threading.Thread(target=server.uvicorn_server.run, daemon=True)
        server.thread.start()
    else:
        command = [PORTCULLIS, "serve", "--home", str(work.workspace.home)]
        command += ["--port", str(port), "--workers", str(workers)]
        command += ["--requests-per-second", "1000000", "--burst", "1000000"]
        server.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"{server.base_url}/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or (server.process and server.process.poll() is not None):
            stop_server(server)
            raise RuntimeError("the API server did not start")
        time.sleep(0.2)


def stop_server(server: Server) -> None:
    """Stop the server and wait for it (its shutdown closes the gateway)."""
    if server.uvicorn_server is not None and server.thread is not None:
        server.uvicorn_server.should_exit = True
        server.thread.join()
    if server.process is not None:
        server.process.terminate()
        server.process.wait(timeout=60)


@dataclass
class Tally:
    """What the clients saw: latency per answered request, statuses, failures."""

    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    late_sends: int = 0
    elapsed: float = 0.0


async def drive(server: Server, work: Workload, bodies: list[dict[str, Any]], rate: float) -> Tally:
    """Send `bodies` at `rate` per second, each at its scheduled moment."""
    tally = Tally()
    loop = asyncio.get_running_loop()
    limits = httpx.Limits(max_connections=1000, max_keepalive_connections=1000)

    async def one(http: httpx.AsyncClient, body: dict[str, Any], due: float) -> None:
        try:
            status = (await http.post(**body, headers=work.headers)).status_code
        except httpx.HTTPError:
            status = 0
        tally.statuses[status] = tally.statuses.get(status, 0) + 1
        if status in (200, 201):
            tally.latencies.append(loop.time() - due)

    async with httpx.AsyncClient(base_url=server.base_url, timeout=60, limits=limits) as http:
        start = loop.time() + 0.5
        tasks = []
        for n, body in enumerate(bodies):
            due = start + n / rate
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            elif delay < -0.01:
                tally.late_sends += 1
            tasks.append(asyncio.create_task(one(http, body, due)))
        await asyncio.gather(*tasks)
        tally.elapsed = loop.time() - start
    return tally


def checkpoint_intervals(work: Workload, since: dt.datetime) -> tuple[int, float]:
    """Return how many checkpoints were signed after `since` and their median interval in ms."""
    engine = open_engine(work.workspace.state_url)
    with engine.connect() as con:
        moments = [
            moment
            for moment in con.execute(
                sa.select(ledger_checkpoints.c.signed_at).order_by(ledger_checkpoints.c.size)
            ).scalars()
            if (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)) >= since
        ]
    engine.dispose()
    gaps = [(b - a).total_seconds() * 1000 for a, b in itertools.pairwise(moments)]
    return len(moments), statistics.median(gaps) if gaps else 0.0


def verify_ledger(work: Workload) -> str:
    """Run `portcullis ledger verify` on the workspace and return its one-line verdict."""
    home = str(work.workspace.home)
    done = subprocess.run(
        [PORTCULLIS, "ledger", "verify", "--home", home],
        capture_output=True,
        text=True,
        check=False,
    )
    # The verdict may be wrapped over several lines by the terminal width: join them again.
    verdict = " ".join((done.stdout or done.stderr).split())
    return ("ok: " if done.returncode == 0 else "FAILED: ") + verdict


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000 if ordered else 0.0


def measure(runs: list[Run], seconds: float, taxpayers: int, cache: Path | None) -> list[str]:
    """Run configurations that share backend and door on one workspace; return their rows.

    The master is generated and loaded once per backend; each process count gets its own server
    and its rates run one after another against it (each request with its own id); the ledger is
    verified after each server stops.
    """
    first = runs[0]
    counts = [int(run.rate * seconds) for run in runs]
    rows: list[str] = []
    with tempfile.TemporaryDirectory(prefix="portcullis-bench-api-") as folder:
        work = build_workload(
            Path(folder), sum(counts), backend=first.backend, taxpayers=taxpayers, cache=cache
        )
        bodies = list(work.bodies(first.door))
        offset = 0
        try:
            for workers in dict.fromkeys(run.workers for run in runs):
                chosen = [(r, c) for r, c in zip(runs, counts, strict=True) if r.workers == workers]
                results: list[tuple[Run, int, Tally, tuple[int, float], float]] = []
                server = start_server(work, workers=workers)
                try:
                    for run, count in chosen:
                        load_before = os.getloadavg()[0]
                        began = dt.datetime.now(dt.UTC)
                        sent = bodies[offset : offset + count]
                        offset += count
                        tally = asyncio.run(drive(server, work, sent, run.rate))
                        intervals = checkpoint_intervals(work, began)
                        results.append((run, count, tally, intervals, load_before))
                        time.sleep(2)  # let the last checkpoint land before the next rate
                finally:
                    stop_server(server)
                verdict = verify_ledger(work)
                rows += [_row(*result, verdict) for result in results]
        finally:
            drop_dedicated_schema(work.workspace.state_url)
    return rows


def _row(
    run: Run,
    count: int,
    tally: Tally,
    checkpoints: tuple[int, float],
    load_before: float,
    verdict: str,
) -> str:
    ordered = sorted(tally.latencies)
    answered = len(ordered)
    errors = count - answered
    statuses = ", ".join(f"{code}: {n}" for code, n in sorted(tally.statuses.items()))
    p50 = statistics.median(ordered) * 1000 if ordered else 0.0
    row = (
        f"| {run.backend} | {run.door} | {run.workers} | {run.rate:g} | {count} | {answered} |"
        f" {answered / tally.elapsed:.1f} | {p50:.0f} |"
        f" {_percentile(ordered, 0.95):.0f} | {_percentile(ordered, 0.99):.0f} | {errors} |"
        f" {checkpoints[0]} | {checkpoints[1]:.0f} | {verdict} |"
        f" {statuses}; late sends {tally.late_sends} |"
        f" {load_before:.1f} / {os.getloadavg()[0]:.1f} |"
    )
    sys.stdout.write(row + "\n")
    sys.stdout.flush()
    return row


def main() -> None:
    """Run the configurations and write bench/results/api.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--run", type=Run.parse, action="append", dest="runs")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--taxpayers", type=int, default=200_000)
    parser.add_argument("--cache", type=Path, default=None, help="keep generated data here")
    args = parser.parse_args()
    runs = args.runs or [Run("sqlite", "json", 2, 50.0)]
    groups: dict[tuple[str, str], list[Run]] = {}
    for run in runs:
        groups.setdefault((run.backend, run.door), []).append(run)
    rows = [
        row
        for group in groups.values()
        for row in measure(group, args.seconds, args.taxpayers, args.cache)
    ]
    _write(rows, args)


TABLE_HEAD = (
    "| state | door | processes | rate/s | sent | answered | answered/s | p50 ms | p95 ms |"
    " p99 ms | errors | checkpoints | median interval ms | ledger | statuses |"
    " load before / after |\n"
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|"
)


def _write(rows: list[str], args: argparse.Namespace) -> None:
    text = f"""# API benchmark: the on-demand door at a fixed arrival rate

Written by `bench/bench_api.py` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC.
Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; the load
generator (one asyncio process) shares the two cores with the server, and other engineers' work
was running on the machine at the same time, so treat the figures as a floor.

Each request is one signed item, answered in the same exchange: intake, statutory checks,
matching, the decision, its ledger entry under a checkpoint with the program's witness quorum
(group commit: one checkpoint per interval for all waiting requests), and the sealed package.
`json` is `POST /v1/items` (the single-item door), `multipart` is `POST /v1/requests`. Open
model: requests are sent at a fixed rate for {args.seconds:g} s whatever the answers do; latency is
counted from each request's scheduled moment. Master: {args.taxpayers:,} generated taxpayers (seed
{SEED}); items drawn from it (no adversarial share). Errors are requests not answered 200/201.
After each run `portcullis ledger verify` checks the whole ledger. The last column is the
machine's one-minute load average before and after the run (2 cores: above 2, work queued for
the CPUs, most of it other engineers' jobs).

{TABLE_HEAD}
{chr(10).join(rows)}

Earlier figures (closed model: N clients each waiting for its answer):

{EARLIER}

{PROFILE_FINDINGS}
"""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    sys.stdout.write(text)


PROFILE_FINDINGS = """## Where one answer's time and writes go (profile, 7 Dec 2026, 1M taxpayers)

`bench/profile_api.py --door json --taxpayers 1000000 --requests 40`: the single-item door, one
client, requests one after another, SQLite, the server in process; write transactions counted by the
thread that committed them. Both runs shared the two cores with other jobs (load average 7-13), so
their latencies say more about the machine than about the change; the write counts do not depend
on it.

| | before (11:39 UTC) | after (11:54 UTC) |
|---|---:|---:|
| write transactions per answer, exchange | 8.75 | 6.03 |
| write transactions per answer, integrator (one round per answer when sequential) | 5.10 | 2.00 |
| write transactions per answer, all | 13.85 | 8.03 |
| client latency p50 / mean, ms | 1,150 / 1,199 | 1,403 / 1,540 |
| road call of the exchange, mean ms | 858 | 1,043 |
| of which reading the one-item file (`read_request_file`), ms | 218 | 256 |
| of which matching (`match_one`), ms | 79 | 109 |
| of which waiting for the integrator's round (`commit_request`), ms | 319 | 364 |
| of which release (re-checks, receipt, seal, row), ms | 69 | 98 |
| integrator round, mean ms (cosignatures in it) | 137 (60) | 168 (84) |

The exchange's writes now: intake (request, items, intake event, job leased to the exchange), the
submitting account, the check record with the decision, the release row with the request's end and
the job done, the access-log row and the rate bucket. The integrator's: leaves, their indexes and
the checkpoint in one transaction, the cosignatures in one more (before: append, indexes,
checkpoint and one per witness's cosignature)."""


if __name__ == "__main__":
    main()
