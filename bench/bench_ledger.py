"""Measure the ledger at scale: append throughput, checkpoints, proofs, verification and export."""

# Usage: .venv/bin/python bench/bench_ledger.py [--entries 1000000] [--batch 10000] [--url URL]
# The figures are written to bench/results/ledger.md with the machine and the date.

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portcullis.keys import public_key_b64
from portcullis.ledger.export import export_ledger
from portcullis.ledger.hashing import canonical_entry, leaf_hash
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.proofs import verify_consistency, verify_inclusion
from portcullis.ledger.standalone import verify_export
from portcullis.ledger.tables import create_ledger_tables
from portcullis.ledger.witness import Witness
from portcullis.store.database import open_engine

RESULTS = Path(__file__).resolve().parent / "results" / "ledger.md"
OUTCOMES = ("disclosed", "refused", "no_match", "ambiguous")


def decision(index: int) -> dict[str, object]:
    """A decision entry of realistic size and shape."""
    return {
        "kind": "decision",
        "request_id": f"req-{index // 500:07d}",
        "item_id": f"item-{index % 500:04d}",
        "program": "ice-address-verification",
        "outcome": OUTCOMES[index % 4],
        "reason_codes": ["match_unique"] if index % 4 == 0 else ["statute_missing"],
        "decided_at": "2026-11-29T05:00:00Z",
        "decided_by": "system",
    }


def timings_ms(action: Callable[[], object], rounds: int) -> tuple[float, float]:
    """Run `action` `rounds` times; return the median and 95th percentile in milliseconds."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def run(entries: int, batch: int, url: str, workdir: Path) -> list[tuple[str, str]]:
    """Build a ledger of `entries` entries, time each operation and return (figure, value) rows."""
    engine = open_engine(url)
    create_ledger_tables(engine)
    signer = Ed25519PrivateKey.generate()
    ledger = Ledger(engine, signer, "bench.portcullis.local/ledger")
    witnesses = []
    for name in ("tigta", "jct"):
        witness = Witness(name, Ed25519PrivateKey.generate(), engine, signer.public_key())
        ledger.register_witness(name, public_key_b64(witness.public_key))
        witnesses.append(witness)
    rows: list[tuple[str, str]] = []
    start = time.perf_counter()
    for first in range(0, entries, batch):
        items = [(f"d{i}", decision(i)) for i in range(first, min(first + batch, entries))]
        ledger.append_many(items)
        if first and first % (entries // 4 or 1) < batch:
            ledger.checkpoint()
            ledger.request_cosignatures(witnesses)
    elapsed = time.perf_counter() - start
    rows.append(
        (f"append {entries:,} entries (batches of {batch:,}, with checkpoints)", f"{elapsed:.1f} s")
    )
    rows.append(("append throughput", f"{entries / elapsed:,.0f} entries/s"))
    single = timings_ms(
        lambda: ledger.append(
            decision(entries + random.randrange(10**9)), decision_key=f"s{random.random()}"
        ),
        50,
    )
    rows.append(
        ("single append (own transaction), median / p95", f"{single[0]:.2f} / {single[1]:.2f} ms")
    )
    size = ledger.size()
    start = time.perf_counter()
    checkpoint = ledger.checkpoint()
    rows.append(
        (
            f"sign checkpoint at {size:,} (with consistency check)",
            f"{(time.perf_counter() - start) * 1000:.1f} ms",
        )
    )
    start = time.perf_counter()
    ledger.request_cosignatures(witnesses)
    rows.append(
        (
            "gather 2 cosignatures (in-process witnesses)",
            f"{(time.perf_counter() - start) * 1000:.1f} ms",
        )
    )
    rng = random.Random(7)
    picks = [rng.randrange(size) for _ in range(200)]
    it = iter(picks * 2)
    median, p95 = timings_ms(lambda: ledger.inclusion_proof(next(it), size), 200)
    rows.append((f"inclusion proof at size {size:,}, median / p95", f"{median:.2f} / {p95:.2f} ms"))
    index = picks[0]
    proof = ledger.inclusion_proof(index, size)
    leaf = leaf_hash(canonical_entry(ledger.entry(index)))
    median, p95 = timings_ms(
        lambda: verify_inclusion(index, size, leaf, proof, checkpoint.root), 200
    )
    rows.append(("verify one inclusion proof, median / p95", f"{median:.3f} / {p95:.3f} ms"))
    pairs = iter([(rng.randrange(1, size), size) for _ in range(200)])
    median, p95 = timings_ms(lambda: ledger.consistency_proof(*next(pairs)), 200)
    rows.append((f"consistency proof m -> {size:,}, median / p95", f"{median:.2f} / {p95:.2f} ms"))
    m = size // 3
    cproof = ledger.consistency_proof(m, size)
    old_root = ledger.root(m)
    median, _ = timings_ms(
        lambda: verify_consistency(m, size, old_root, checkpoint.root, cproof), 100
    )
    rows.append(("verify one consistency proof, median", f"{median:.3f} ms"))
    median, p95 = timings_ms(lambda: ledger.receipt(rng.randrange(size)), 100)
    rows.append(
        (
            "receipt (checkpoint + cosignatures + proof), median / p95",
            f"{median:.2f} / {p95:.2f} ms",
        )
    )
    median, _ = timings_ms(lambda: ledger.is_covered(rng.randrange(size), 2), 100)
    rows.append(("is_covered(index, quorum=2), median", f"{median:.2f} ms"))
    start = time.perf_counter()
    report = ledger.verify()
    rows.append(
        (
            f"full verify from scratch ({report.entries:,} entries, ok={report.ok})",
            f"{time.perf_counter() - start:.1f} s",
        )
    )
    start = time.perf_counter()
    export_ledger(engine, workdir / "export")
    rows.append(("export for auditors", f"{time.perf_counter() - start:.1f} s"))
    start = time.perf_counter()
    verdict = verify_export(workdir / "export", quorum=2)
    rows.append(
        (
            f"standalone verifier over the export ({verdict.entries:,} entries)",
            f"{time.perf_counter() - start:.1f} s",
        )
    )
    if url.startswith("sqlite:///"):
        rows.append(
            (
                "state database size on disk",
                f"{Path(url.removeprefix('sqlite:///')).stat().st_size / 2**20:,.0f} MiB",
            )
        )
    engine.dispose()
    return rows


def machine() -> str:
    """Describe the machine the figures come from."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    with contextlib.suppress(ValueError, OSError):
        memory = f", {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB RAM"
    return (
        f"{cpu}, {os.cpu_count()} logical CPUs{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}"
    )


def main() -> None:
    """Parse arguments, run the benchmark, print and record the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--url", help="state database URL (default: a temporary SQLite file)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as scratch:
        workdir = Path(scratch)
        url = args.url or f"sqlite:///{workdir / 'state.sqlite'}"
        backend = url.split(":", 1)[0]
        rows = run(args.entries, args.batch, url, workdir)
    lines = [
        "# Ledger benchmark",
        "",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}",
        f"- State database: {backend} (embedded default when sqlite)",
        f"- Command: `.venv/bin/python bench/bench_ledger.py --entries {args.entries}"
        f" --batch {args.batch}`",
        "",
        "| figure | value |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in rows),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)


if __name__ == "__main__":
    main()
