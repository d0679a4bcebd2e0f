"""Profile one on-demand request at a time: where the server spends an answer's time.

Usage: .venv/bin/python bench/profile_api.py [--requests N] [--door multipart|json]
           [--taxpayers N] [--cache DIR]
Serves the API as bench/bench_api.py does, sends N one-item requests one after another from one
client, and profiles (cProfile) the road call of each exchange and each round of the ledger's
integrator in their own threads. Prints the client's latency, the write transactions and the SQL
statements per answer by thread, the statements per integrator round, the share of the road call
and of the integrator's round per named step, and the top functions by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import functools
import io
import os
import platform
import pstats
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from bench_api import Workload, build_workload, start_server, stop_server

import portcullis.api.submitting as submitting
from portcullis.ledger.integrator import Integrator

RESULTS = Path(__file__).resolve().parent / "results" / "api_profile.md"
# Named steps whose cumulative time is reported as a share of the exchange.
STEPS = (
    "submit_and_answer",
    "is_repeat",
    "submit_bytes",
    "read_request_file",
    "verify_request",
    "_record",
    "_keep",
    "enqueue_request",
    "claim_job",
    "process_request",
    "store_outcomes",
    "_match",
    "match_one",
    "record_decisions",
    "commit_request",
    "release_ready",
    "seal_package",
    "_finish",
    "finish_job",
    "get_program",
    "_request_out",
    "append_access",
    "_round",
    "integrate",
    "append_many",
    "checkpoint",
    "request_cosignatures",
    "cosign",
)


class Transactions:
    """Committed transactions that wrote, counted by the thread that ran them; thread-safe."""

    def __init__(self) -> None:
        self.by_thread: dict[str, int] = {}
        self.lock = threading.Lock()
        self._wrote = threading.local()

    def install(self) -> None:
        """Listen on every engine: a statement other than SELECT marks its transaction a write."""

        def executed(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
            if not statement.lstrip().upper().startswith(("SELECT", "PRAGMA", "SHOW")):
                self._wrote.flag = True

        def committed(conn: Any) -> None:
            if getattr(self._wrote, "flag", False):
                self._wrote.flag = False
                name = _thread_kind(threading.current_thread().name)
                with self.lock:
                    self.by_thread[name] = self.by_thread.get(name, 0) + 1

        sa.event.listen(sa.engine.Engine, "before_cursor_execute", executed)
        sa.event.listen(sa.engine.Engine, "commit", committed)

    def report(self, requests: int, out: io.StringIO) -> None:
        """Write the write transactions per answer, by thread."""
        out.write("\n## Write transactions per answer\n\n| thread | per answer |\n|---|---:|\n")
        for name, count in sorted(self.by_thread.items()):
            out.write(f"| {name} | {count / requests:.2f} |\n")
        total = sum(self.by_thread.values()) / requests
        out.write(f"| all | {total:.2f} |\n")


class Statements:
    """SQL statements sent to the database, by the thread that sent them; thread-safe.

    A round's witness exchanges run in threads of their own: they count towards the round.
    """

    def __init__(self) -> None:
        self.by_thread: dict[str, int] = {}
        self.in_rounds = 0
        self.rounds = 0  # rounds begun once counting started
        self.installed = False
        self.lock = threading.Lock()
        self._round = threading.local()

    def install(self) -> None:
        """Listen on every engine and count each statement before it runs."""

        def executed(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
            name = _thread_kind(threading.current_thread().name)
            with self.lock:
                self.by_thread[name] = self.by_thread.get(name, 0) + 1
                if getattr(self._round, "on", False) or name == "witness exchange":
                    self.in_rounds += 1

        sa.event.listen(sa.engine.Engine, "before_cursor_execute", executed)
        self.installed = True

    def wrap(self, call: Callable[..., Any]) -> Callable[..., Any]:
        """Return `call` with the statements it sends on its own thread counted as a round's."""

        @functools.wraps(call)
        def counted(*args: Any, **kwargs: Any) -> Any:
            if self.installed:
                with self.lock:
                    self.rounds += 1
            self._round.on = True
            try:
                return call(*args, **kwargs)
            finally:
                self._round.on = False

        return counted

    def report(self, requests: int, out: io.StringIO) -> None:
        """Write the statements per answer by thread and per integrator round."""
        out.write("\n## SQL statements per answer\n\n| thread | per answer |\n|---|---:|\n")
        for name, count in sorted(self.by_thread.items()):
            out.write(f"| {name} | {count / requests:.2f} |\n")
        out.write(f"| all | {sum(self.by_thread.values()) / requests:.2f} |\n")
        per_round = self.in_rounds / self.rounds if self.rounds else 0.0
        out.write(
            f"\nSQL statements per integrator round (its witness exchanges included): "
            f"{per_round:.1f} over {self.rounds} rounds\n"
        )


def _thread_kind(name: str) -> str:
    if name.startswith("ledger-integrator"):
        return "integrator"
    if name.startswith("witness-"):
        return "witness exchange"
    if name.startswith("AnyIO worker"):
        return "exchange (road call)"
    if name.startswith("lease-"):
        return "lease keeper"
    return "event loop and others"


class Profiles:
    """One cProfile per profiled call, merged at the end; thread-safe."""

    def __init__(self) -> None:
        self.stats: pstats.Stats | None = None
        self.calls = 0
        self.seconds: list[float] = []
        self.lock = threading.Lock()

    def wrap(self, call: Callable[..., Any]) -> Callable[..., Any]:
        """Return `call` profiled on whichever thread runs it."""

        @functools.wraps(call)
        def profiled(*args: Any, **kwargs: Any) -> Any:
            profile = cProfile.Profile()
            started = time.perf_counter()
            try:
                return profile.runcall(call, *args, **kwargs)
            finally:
                took = time.perf_counter() - started
                with self.lock:
                    self.calls += 1
                    self.seconds.append(took)
                    stream = pstats.Stats(profile, stream=io.StringIO())
                    if self.stats is None:
                        self.stats = stream
                    else:
                        self.stats.add(profile)

        return profiled

    def report(self, title: str, out: io.StringIO) -> None:
        """Write mean ms per call of each named step and the top functions."""
        if self.stats is None:
            out.write(f"\n## {title}: not called\n")
            return
        mean = statistics.mean(self.seconds) * 1000
        out.write(f"\n## {title}: {self.calls} calls, mean {mean:.1f} ms\n\n")
        out.write("| step | ms per call | share |\n|---|---:|---:|\n")
        table: dict[str, float] = {}
        for (_, _, name), (_, _, _, cumulative, _) in self.stats.stats.items():  # type: ignore[attr-defined]
            if name in STEPS:
                table[name] = max(table.get(name, 0.0), cumulative)
        for name in STEPS:
            if name in table:
                per = table[name] * 1000 / self.calls
                out.write(f"| `{name}` | {per:.1f} | {per / mean:.0%} |\n")
        text = io.StringIO()
        self.stats.stream = text  # type: ignore[attr-defined]
        self.stats.sort_stats("cumulative").print_stats(20)
        out.write("\n```\n" + text.getvalue().strip() + "\n```\n")


def main() -> None:
    """Profile sequential on-demand requests and print the findings."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--door", choices=("multipart", "json"), default="multipart")
    parser.add_argument("--taxpayers", type=int, default=20_000)
    parser.add_argument("--cache", type=Path, default=None, help="keep generated data here")
    args = parser.parse_args()
    road, rounds, writes, statements = Profiles(), Profiles(), Transactions(), Statements()
    # The road call of the exchange runs in a worker thread: profile it there.
    submitting.submit_and_answer = road.wrap(submitting.submit_and_answer)  # type: ignore[attr-defined]
    Integrator._round = rounds.wrap(statements.wrap(Integrator._round))  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory(prefix="portcullis-profile-api-") as folder:
        work: Workload = build_workload(
            Path(folder),
            args.requests,
            backend="sqlite",
            taxpayers=args.taxpayers,
            cache=args.cache,
        )
        server = start_server(work, workers=1, in_process=True)
        writes.install()  # after the build: only the answers' transactions are counted
        statements.install()
        latencies: list[float] = []
        try:
            with httpx.Client(base_url=server.base_url, timeout=60) as http:
                for body in work.bodies(args.door):
                    started = time.perf_counter()
                    response = http.post(**body, headers=work.headers)
                    latencies.append(time.perf_counter() - started)
                    if response.status_code not in (200, 201):
                        raise SystemExit(f"unexpected {response.status_code}: {response.text}")
        finally:
            stop_server(server)
    out = io.StringIO()
    out.write(
        "# Profile of one on-demand request\n\n"
        f"Written by `bench/profile_api.py` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; "
        f"{platform.machine()}, {os.cpu_count()} CPUs, shared with other work. Server in "
        f"process, SQLite, {args.taxpayers:,} generated taxpayers, one client, requests one "
        "after another.\n\n"
        f"Client latency over {len(latencies)} sequential requests ({args.door}): "
        f"p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"mean {statistics.mean(latencies) * 1000:.1f} ms\n"
    )
    writes.report(len(latencies), out)
    statements.report(len(latencies), out)
    road.report("road call of the exchange", out)
    rounds.report("integrator round", out)
    RESULTS.write_text(out.getvalue(), encoding="utf-8")
    sys.stdout.write(out.getvalue())


if __name__ == "__main__":
    main()
