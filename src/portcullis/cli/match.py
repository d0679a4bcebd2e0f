"""The `portcullis match` commands (placeholder until this part lands)."""

from __future__ import annotations

import typer

app = typer.Typer(help="match commands.", no_args_is_help=True)
