"""The `portcullis` command: thin adapters over library calls, one module per command group."""

from __future__ import annotations

from portcullis.cli.app import app

__all__ = ["app"]
