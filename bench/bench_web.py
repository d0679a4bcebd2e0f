"""Page load times of the web UI at volume: 100,000 items waiting for review and 1M decided.

Usage: .venv/bin/python bench/bench_web.py [--waiting N] [--decided N] [--repeat R] [--state-url U]
       [--keep DIR]
Builds a throwaway workspace (embedded SQLite unless --state-url names a PostgreSQL database),
inserts requests, items and decisions directly in bulk (not through the road, so it runs in
minutes), then times each page in process, R times, and writes bench/results/web.md
(web-postgresql.md for PostgreSQL). Settling
one item does go through the road (settle_review), so its time includes the ledger entry.
With --keep DIR the workspace (and its PostgreSQL schema) is kept in DIR, and a later run with the
same DIR times the filled workspace again without filling it (after creating any index the code
has gained since); each run settles R held items, so the waiting count drops by R a run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from portcullis.api import ApiSettings, create_app
from portcullis.auth import Principal, issue_token
from portcullis.contract.columns import MASTER_COLUMNS
from portcullis.gateway import Gateway
from portcullis.initialise import init_workspace
from portcullis.master.loading import load_master_files
from portcullis.store.database import drop_dedicated_schema
from portcullis.store.metadata import metadata
from portcullis.store.search_indexes import prepare_trigram_indexes
from portcullis.store.tables import decisions, items, requests
from portcullis.web.session import COOKIE, csrf_for
from portcullis.workspace import Workspace, open_workspace

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

RESULTS = Path(__file__).resolve().parent / "results" / "web.md"
RESULTS_POSTGRES = RESULTS.with_name("web-postgresql.md")
PROGRAM = "ice-address-verification"
AGENCIES = (
    ("U.S. Immigration and Customs Enforcement", PROGRAM),
    ("Federal Bureau of Investigation", PROGRAM),
    ("Drug Enforcement Administration", PROGRAM),
)
ITEMS_PER_REQUEST = 20_000
BATCH = 20_000
MASTER_ROW = ("222334444", "María Guadalupe", "", "García López", "", "1979-03-08", "77 Oak Rd",
              "", "San Antonio", "TX", "78209", "2024")  # fmt: skip
GIVEN = ("MARIA", "JOSE", "MINH", "AISHA", "JOHN", "WEI", "FATIMA", "CARLOS", "ANA", "LUIS")
FAMILY = ("GARCIA", "NGUYEN", "SMITH", "KHAN", "LOPEZ", "CHEN", "HERNANDEZ", "AL SAYED", "KIM")
FINAL = (("disclosed", ""), ("refused", "address_incomplete"), ("refused", "zip_only_address"),
         ("no_match", ""), ("ambiguous", ""), ("refused", "statute_not_allowed"))  # fmt: skip
HELD_REASONS = ("batch_held_for_review", "match_needs_review", "officer_cap_reached")


def _rows(
    waiting: int, decided: int, start: dt.datetime, now: dt.datetime
) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]]:
    """Yield batches of (requests, items, decisions) rows, decided items first, held ones last."""
    rng = random.Random(7)
    total = waiting + decided
    span = (now - start).total_seconds()
    pk = 0
    while pk < total:
        request_rows: list[dict[str, Any]] = []
        item_rows: list[dict[str, Any]] = []
        decision_rows: list[dict[str, Any]] = []
        for _ in range(min(BATCH, total - pk)):
            number, row = divmod(pk, ITEMS_PER_REQUEST)
            agency, program = AGENCIES[number % len(AGENCIES)]
            request_id = f"REQ-BENCH-{number:05d}"
            held = pk >= decided
            if row == 0:
                request_rows.append({
                    "request_id": request_id, "program_id": program, "program_version": 1,
                    "requesting_agency": agency, "file_name": f"{request_id}.csv",
                    "file_sha256": "0" * 64, "status": "held" if held else "done",
                    "item_count": min(ITEMS_PER_REQUEST, total - pk),
                    "received_at": start + dt.timedelta(seconds=span * pk / total),
                })  # fmt: skip
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            case = f"ICE-ERO-2026-{pk:07d}"
            officer = f"ICE-HSI-{rng.randrange(500):05d}"
            item_rows.append({
                "id": pk + 1, "request_id": request_id, "row": row + 1, "item_id": f"I-{pk}",
                "record": {"first_name": given.title(), "middle_name": "", "name_suffix": "",
                           "last_name": family.title(), "tin": "", "street": "400 Pine Avenue",
                           "unit": "", "city": "San Antonio", "state": "TX", "zip": "78205",
                           "date_of_birth": "1980-01-01", "statute": "8 U.S.C. 1253(a)(1)",
                           "case_number": case, "reason": "Final order of removal, not departed.",
                           "taxable_periods": "2022-2024", "recipient_officers": [officer]},
                "case_number": case.replace("-", ""), "name_key": f"{family}/{given}",
                "officers": officer, "stage": "held" if held else "decided",
            })  # fmt: skip
            if held:
                outcome, codes = "pending_review", rng.choice(HELD_REASONS)
                moment = now - dt.timedelta(seconds=rng.uniform(60, 30 * 86400))
            else:
                outcome, codes = rng.choice(FINAL)
                moment = start + dt.timedelta(seconds=span * pk / total)
            candidate = outcome in ("disclosed", "pending_review")
            decision_rows.append({
                "item_pk": pk + 1, "outcome": outcome, "reason_codes": codes,
                "tin": f"{rng.randrange(10**8, 10**9)}" if candidate else None,
                "address": ({"street": "77 Oak Rd", "unit": "", "city": "San Antonio",
                             "state": "TX", "zip": "78209", "tax_year": 2024}
                            if candidate else None),
                "address_tax_year": 2024 if candidate else None,
                "match_score": round(rng.random(), 4) if outcome != "refused" else None,
                "match_evidence": {"best": {"total": 9.5, "fields": {}}} if held else None,
                "decided_at": moment, "decided_by": "portcullis (automatic)",
                # As if in the ledger already, so a settlement appends only its own entry.
                "ledger_index": pk,
            })  # fmt: skip
            pk += 1
        yield request_rows, item_rows, decision_rows


def fill(gateway: Gateway, waiting: int, decided: int) -> float:
    """Insert the requests, items and decisions in bulk; return the seconds it took."""
    now = dt.datetime.now(dt.UTC)
    start = now - dt.timedelta(days=330)
    began = time.perf_counter()
    for request_rows, item_rows, decision_rows in _rows(waiting, decided, start, now):
        with gateway.engine.begin() as con:
            if request_rows:
                con.execute(requests.insert(), request_rows)
            con.execute(items.insert(), item_rows)
            con.execute(decisions.insert(), decision_rows)
        print(f"  {item_rows[-1]['id']:,} items", file=sys.stderr)
    settle_down(gateway)
    return time.perf_counter() - began


def settle_down(gateway: Gateway) -> None:
    """Vacuum and analyse, as autovacuum would after a load this size (PostgreSQL only)."""
    if gateway.engine.dialect.name != "postgresql":
        return
    # The planner needs the tables' statistics, and index-only scans need the visibility map.
    with gateway.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as con:
        con.exec_driver_sql("VACUUM ANALYZE")


def timed(client: TestClient, repeat: int, method: str, path: str, **kw: Any) -> list[float]:
    """Time `repeat` requests of one page in milliseconds; fail loudly on a non-2xx/3xx answer."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        response = client.request(method, path, **kw)
        times.append((time.perf_counter() - began) * 1000)
        if response.status_code >= 400:
            raise SystemExit(f"{method} {path} answered {response.status_code}")
    return times


def measure(workspace: Workspace, repeat: int) -> list[tuple[str, list[float], int]]:
    """Time every page of the application `portcullis serve` runs, as a reviewer or auditor."""
    settings = ApiSettings(requests_per_second=1e6, burst=1_000_000)
    app = create_app(workspace, settings=settings)
    gateway: Gateway = app.state.gateway
    secret = gateway.workspace.token_secret_path.read_bytes()
    cookies = {
        role: issue_token(Principal(f"bench.{role}", "user", frozenset({role})), secret)
        for role in ("reviewer", "auditor")
    }
    with gateway.engine.connect() as con:
        big = con.execute(sa.select(requests.c.request_id).limit(1)).scalar_one()
        held_request = con.execute(
            sa.select(items.c.request_id).where(items.c.stage == "held").limit(1)
        ).scalar_one()
    queue = "/ui/review"
    pages: list[tuple[str, str, str]] = [
        ("reviewer", "Review queue, oldest first", queue),
        ("reviewer", "Review queue, page 1,000", f"{queue}?page=1000"),
        ("reviewer", "Review queue, by request", f"{queue}?request={held_request}"),
        ("reviewer", "Review queue, by reason", f"{queue}?reason_code=officer_cap_reached"),
        ("reviewer", "Review queue, by officer", f"{queue}?officer=ICE-HSI-00042"),
        ("reviewer", "Review queue, score 0.4 to 0.6, highest first",
         f"{queue}?score_min=0.4&score_max=0.6&sort=score_high"),
        ("reviewer", "Review queue, search a name", f"{queue}?search=khan+fatima"),
        ("reviewer", "Review queue, search an item id", f"{queue}?search=I-1050000"),
        ("auditor", "Requests", "/ui/requests"),
        ("auditor", "One request (20,000 items)", f"/ui/requests/{big}"),
        ("auditor", "One request's live progress (JSON)", f"/ui/requests/{big}/progress"),
        ("auditor", "Oversight dashboard, per month", "/ui/dashboard"),
        ("auditor", "Oversight dashboard, per week", "/ui/dashboard?period=week"),
        ("auditor", "Dashboard CSV (per week)", "/ui/dashboard/periods.csv?period=week"),
    ]  # fmt: skip
    results: list[tuple[str, list[float], int]] = []
    with TestClient(app, follow_redirects=False) as client:
        for role, label, path in pages:
            client.cookies.set(COOKIE, cookies[role], path="/ui")
            began = time.perf_counter()
            size = len(client.get(path).content)  # the first load, and the page's size
            first = (time.perf_counter() - began) * 1000
            results.append((label, [first, *timed(client, repeat, "GET", path)], size))
        client.cookies.set(COOKIE, cookies["reviewer"], path="/ui")
        csrf = csrf_for(secret, cookies["reviewer"])
        settle: list[float] = []
        for _ in range(repeat):
            with gateway.engine.connect() as con:
                held = con.execute(
                    sa.select(decisions.c.item_pk)
                    .where(decisions.c.outcome == "pending_review")
                    .order_by(decisions.c.decided_at)
                    .limit(1)
                ).scalar_one()
            form = {"csrf": csrf, "decision": "refuse", "reason": "bench: evidence too thin"}
            settle += timed(client, 1, "POST", f"/ui/review/{held}", data=form)
        results.append(("Settle one item (refuse) and redirect", settle, 0))
    return results


def write(results: list[tuple[str, list[float], int]], args: argparse.Namespace, fill_s: float,
          backend: str, waiting: int, decided: int) -> None:  # fmt: skip
    """Write the figures to bench/results/web.md."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Web pages at volume" + (", PostgreSQL" if args.state_url else ""),
        "",
        f"Written by `bench/bench_web.py` on {stamp}.",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()};",
        "other work was running on the machine at the same time, so treat the figures as a floor.",
        "",
        f"State database: {backend}. {waiting:,} items waiting for review and "
        f"{decided:,} decided (as counted before the timing), "
        f"in {(waiting + decided) // ITEMS_PER_REQUEST:,} "
        f"requests of {ITEMS_PER_REQUEST:,} items from three agencies over eleven months, "
        f"inserted in bulk in {fill_s:.0f} s (not through the road"
        f"{'; filled by an earlier run and kept with --keep' if args.reused else ''}). "
        "Each page is asked for "
        f"in process from the application `portcullis serve` runs (FastAPI's test client, "
        f"so no network), once (the first load) and then "
        f"{args.repeat} times more (median and max); the time is the whole answer: session "
        f"check, queries and rendering. The inserts fire the database's tally triggers, so "
        f"every load, the first included, reads the tallies (docs/web.md).",
        "",
        "| page | first load ms | median ms | max ms | size KB |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, times, size in results:
        kb = f"{size / 1024:.0f}" if size else "—"
        first, rest = (times[0], times[1:]) if size else (None, times)
        lines.append(
            f"| {label} | {'—' if first is None else f'{first:.0f}'} | "
            f"{statistics.median(rest):.0f} | {max(rest):.0f} | {kb} |"
        )
    lines += [
        "",
        "Settling goes through `settle_review`: the decision, its ledger entry, a checkpoint and",
        "the redirect to the next free item (the item is refused, so no package is sealed). The",
        "ledger itself is not filled: the bulk decisions carry ledger indexes as if it were, so",
        "the ledger explorer is not timed here (see the ledger section for the ledger at scale).",
    ]
    out = RESULTS_POSTGRES if args.state_url else RESULTS
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def add_missing_indexes(gateway: Gateway) -> None:
    """Create every index the code defines that a kept workspace's database lacks yet."""
    with gateway.engine.begin() as con:
        prepare_trigram_indexes(con)
        for table in metadata.sorted_tables:
            for index in table.indexes:
                index.create(con, checkfirst=True)
    settle_down(gateway)


def run(root: Path, args: argparse.Namespace, reuse: bool) -> tuple[Workspace, float]:
    """Make (or, kept, reopen) the filled workspace under `root`; return it and the fill time."""
    marker = root / "filled.txt"
    args.reused = reuse and marker.exists()
    if args.reused:
        workspace = open_workspace(root / "ws")
        with Gateway.open(workspace) as gateway:
            add_missing_indexes(gateway)
        return workspace, float(marker.read_text(encoding="utf-8").split()[0])
    # On PostgreSQL the workspace gets a schema of its own, dropped at the end unless kept.
    workspace = init_workspace(
        root / "ws", state_url=args.state_url or f"sqlite:///{root / 'state.sqlite'}"
    )
    (root / "state-url.txt").write_text(workspace.state_url, encoding="utf-8")
    master = root / "master.csv"
    master.write_text(",".join(MASTER_COLUMNS) + "\n" + ",".join(MASTER_ROW) + "\n")
    load_master_files(workspace, [master])
    with Gateway.open(workspace) as gateway:
        fill_s = fill(gateway, args.waiting, args.decided)
    marker.write_text(f"{fill_s} {args.waiting} {args.decided}\n", encoding="utf-8")
    return workspace, fill_s


def main() -> None:
    """Parse the arguments, fill a workspace, time the pages and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waiting", type=int, default=100_000)
    parser.add_argument("--decided", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--state-url", default=None, help="a PostgreSQL URL (default: SQLite)")
    parser.add_argument("--keep", type=Path, default=None, help="keep (and reuse) the workspace")
    args = parser.parse_args()
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        workspace, fill_s = run(args.keep, args, reuse=True)
        measured(workspace, args, fill_s)
        return
    with tempfile.TemporaryDirectory(prefix="bench-web-") as folder:
        root = Path(folder)
        try:
            workspace, fill_s = run(root, args, reuse=False)
            measured(workspace, args, fill_s)
        finally:
            if args.state_url and (root / "state-url.txt").exists():
                drop_dedicated_schema((root / "state-url.txt").read_text(encoding="utf-8"))


def measured(workspace: Workspace, args: argparse.Namespace, fill_s: float) -> None:
    """Time the pages of the filled workspace, write the results and print them."""
    with Gateway.open(workspace) as gateway, gateway.engine.connect() as con:
        waiting = con.execute(
            sa.select(sa.func.count()).where(decisions.c.outcome == "pending_review")
        ).scalar_one()
        decided = con.execute(sa.select(sa.func.count()).select_from(decisions)).scalar_one()
    results = measure(workspace, args.repeat)
    backend = "PostgreSQL" if args.state_url else "embedded SQLite"
    write(results, args, fill_s, backend, int(waiting), int(decided) - int(waiting))
    print((RESULTS_POSTGRES if args.state_url else RESULTS).read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
