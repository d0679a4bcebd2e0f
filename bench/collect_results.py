"""Gather every bench/results/*.md into BENCHMARKS.md, newest figures as the scripts wrote them."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = (
    "demo",
    "matching",
    "master_load",
    "ledger",
    "api",
    "api_profile",
    "web",
    "web-postgresql",
    "web-compared",
)
HEADER = """# Benchmarks

Measured figures for Portcullis. Each section below is written by its script in `bench/`
(run them with `make bench`, or one at a time as each section says); this page is assembled
from `bench/results/*.md` by `bench/collect_results.py`. Every section names its machine, date
and sizes. Figures were taken on the development machine (2 cores, 24 GiB), often while other
jobs shared the cores, so wall times are pessimistic. Benchmarks are scripts, never timed
assertions in tests.
"""


def collect() -> str:
    """Return the text of BENCHMARKS.md."""
    results = ROOT / "bench" / "results"
    names = sorted(
        results.glob("*.md"), key=lambda p: (ORDER.index(p.stem) if p.stem in ORDER else 99, p.stem)
    )
    parts = [HEADER]
    for path in names:
        text = path.read_text(encoding="utf-8").strip()
        # Demote the section's own title by one level so the page has one top heading.
        parts.append(
            "\n".join(("#" + line if line.startswith("#") else line) for line in text.splitlines())
        )
    return "\n\n".join(parts) + "\n"


if __name__ == "__main__":
    (ROOT / "BENCHMARKS.md").write_text(collect(), encoding="utf-8")
