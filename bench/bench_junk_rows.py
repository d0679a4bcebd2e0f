"""Ten million junk rows at the gateway: time and peak memory of the refusal, format by format.

Usage: .venv/bin/python bench/bench_junk_rows.py [--rows N] [--unbounded-rows N]
Writes request files of N junk rows (CSV lines of the wrong field count, CSV fields of random
bytes, JSON Lines of garbage, Parquet rows of nonsense) into a throwaway folder, signs each as the
demo agency would (a valid manifest, so the file is refused for its size and nothing else), and in
a fresh process per case submits it through intake (`submit_request`: the file read, hashed, kept
and read as a request under the default program's item limit). Each child reports its wall time
and peak RSS (its own VmHWM). `--unbounded-rows` also reads one CSV with no item limit, as the
reader did before the limit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from portcullis.contract.columns import REQUEST_COLUMNS
from portcullis.contract.manifest import build_manifest, sign_manifest
from portcullis.keys import load_private_key

BLOCK = 10_000  # junk is drawn for this many rows, then repeated to the size asked
HEADER = ",".join(REQUEST_COLUMNS).encode()


def _repeat(path: Path, first: bytes, block: list[bytes], rows: int) -> None:
    chunk = b"\n".join(block) + b"\n"
    with path.open("wb") as out:
        out.write(first + b"\n")
        for _ in range(rows // len(block)):
            out.write(chunk)
        out.write(b"".join(line + b"\n" for line in block[: rows % len(block)]))


def csv_wrong_field_counts(path: Path, rows: int, rng: random.Random) -> None:
    """Write lines of junk text whose commas give them any number of fields."""
    alphabet = "abc,;:'xyz019 \t"
    block = [
        ("j" + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))).encode()
        for _ in range(BLOCK)
    ]
    _repeat(path, HEADER, block, rows)


def csv_random_bytes(path: Path, rows: int, rng: random.Random) -> None:
    """Write rows of the right field count, each field four random bytes (no commas or newlines)."""
    usable = bytes(b for b in range(256) if b not in b',\n\r"')
    block = [
        b",".join(bytes(rng.choice(usable) for _ in range(4)) for _ in REQUEST_COLUMNS)
        for _ in range(BLOCK)
    ]
    _repeat(path, HEADER, block, rows)


def jsonl_garbage(path: Path, rows: int, rng: random.Random) -> None:
    """Write one JSON object naming the columns, then lines of broken or wrong-shaped JSON."""
    choices = [b"{", b"[1,2]", b"null", b"garbage", b'{"item_id": 7}', b'"\xff\xfe"']
    block = [rng.choice(choices) for _ in range(BLOCK)]
    first = json.dumps(dict.fromkeys(REQUEST_COLUMNS, "x")).encode()
    _repeat(path, first, block, rows - 1)


def parquet_nonsense(path: Path, rows: int, rng: random.Random) -> None:
    """Write every contract column as short nonsense strings, in row groups of a million."""
    pool = ["?", "zz", "-1", "\u2603", "", "\x00"]
    group = min(rows, 1_000_000)
    column = pa.array([rng.choice(pool) for _ in range(group)], pa.string())
    table = pa.table(dict.fromkeys(REQUEST_COLUMNS, column))
    with pq.ParquetWriter(path, table.schema) as writer:
        for start in range(0, rows, group):
            writer.write_table(table.slice(0, min(group, rows - start)))


CASES: dict[str, Callable[[Path, int, random.Random], None]] = {
    "wrong_field_counts.csv": csv_wrong_field_counts,
    "random_bytes.csv": csv_random_bytes,
    "garbage.jsonl": jsonl_garbage,
    "nonsense.parquet": parquet_nonsense,
}


def _child_submit(home: str, file: str, manifest: str) -> None:
    from portcullis.checks.refusals import RequestRefused
    from portcullis.gateway import Gateway
    from portcullis.intake import submit_request
    from portcullis.workspace import open_workspace

    signed = json.loads(Path(manifest).read_text())
    started = time.perf_counter()
    with Gateway.open(open_workspace(Path(home))) as gateway:
        try:
            submit_request(gateway, Path(file), signed)
            outcome = "accepted"
        except RequestRefused as exc:
            outcome = f"{exc.code}: {exc}"
    _report(started, outcome)


def _child_read(file: str) -> None:
    from portcullis.contract.request_file import read_request_file

    started = time.perf_counter()
    read = read_request_file(Path(file))
    _report(started, f"read {len(read.items)} items (no limit)")


def _report(started: float, outcome: str) -> None:
    seconds = time.perf_counter() - started
    # VmHWM is this process image's own peak; ru_maxrss would carry over the forking parent's.
    status = Path("/proc/self/status").read_text().splitlines()
    peak_kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    peak_mib = peak_kib / 1024
    print(json.dumps({"seconds": seconds, "peak_mib": peak_mib, "outcome": outcome}))


def _run(*argv: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, *argv], check=True, capture_output=True, text=True
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _sign(home: Path, path: Path, rows: int) -> Path:
    manifest = build_manifest(
        path.read_bytes(),
        request_id=f"R-JUNK-{path.stem}",
        program_id="ice-address-verification",
        requesting_agency="U.S. Immigration and Customs Enforcement",
        signer_name="Demo Signer",
        signer_title="Director, U.S. Immigration and Customs Enforcement (demo)",
        key_id="demo-signer",
        certification="Used solely for the criminal matter named for each item, and no other.",
        item_count=rows,
        created_at=dt.datetime.now(dt.UTC),
    )
    signed = sign_manifest(manifest, load_private_key(home / "keys" / "demo-signer.key"))
    target = path.with_suffix(".manifest.json")
    target.write_text(json.dumps(signed))
    return target


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child-submit":
        _child_submit(*sys.argv[2:5])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--child-read":
        _child_read(sys.argv[2])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--unbounded-rows", type=int, default=0)
    args = parser.parse_args()
    from portcullis.initialise import init_workspace

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        home = folder / "ws"
        init_workspace(home, state_url=f"sqlite:///{folder / 'state.sqlite'}")
        print(f"| file ({args.rows:,} rows) | size (MiB) | wall (s) | peak RSS (MiB) | outcome |")
        print("|---|---|---|---|---|")
        for name, write in CASES.items():
            path = folder / name
            write(path, args.rows, random.Random(17))
            manifest = _sign(home, path, args.rows)
            result = _run("--child-submit", str(home), str(path), str(manifest))
            size = path.stat().st_size / 2**20
            print(
                f"| {name} | {size:,.0f} | {result['seconds']:.2f} | {result['peak_mib']:,.0f}"
                f" | {result['outcome']} |",
                flush=True,
            )
            path.unlink()
            for kept in (home / "inbox").rglob(name):
                kept.unlink()
        if args.unbounded_rows:
            path = folder / "unbounded.csv"
            csv_wrong_field_counts(path, args.unbounded_rows, random.Random(17))
            result = _run("--child-read", str(path))
            print(
                f"| wrong_field_counts.csv, {args.unbounded_rows:,} rows, read with no limit"
                f" | {path.stat().st_size / 2**20:,.0f} | {result['seconds']:.2f}"
                f" | {result['peak_mib']:,.0f} | {result['outcome']} |"
            )


if __name__ == "__main__":
    main()
