"""Machine facts, peak memory and the markdown results file."""

from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[1] / "results" / "matching.md"


def machine() -> str:
    """Return a one-line description of the machine and the date."""
    cpus = os.cpu_count()
    with Path("/proc/meminfo").open() as handle:
        total_kb = int(handle.readline().split()[1])
    now = dt.datetime.now(dt.UTC).isoformat(timespec="minutes")
    return (
        f"{now}, {platform.machine()} {cpus} cores, {total_kb / 2**20:.0f} GiB RAM, "
        f"Python {sys.version.split()[0]}"
    )


def peak_memory_mb() -> float:
    """Return this process's peak resident memory in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_section(title: str, body: str) -> None:
    """Replace (or append) the section `title` of the results file with `body`."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Matching benchmarks\n"
    marker = f"\n## {title}\n"
    start = text.find(marker)
    if start >= 0:
        end = text.find("\n## ", start + len(marker))
        text = text[:start] + text[end if end >= 0 else len(text) :]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text.rstrip("\n") + "\n" + marker + "\n" + body.strip("\n") + "\n", "utf-8")
