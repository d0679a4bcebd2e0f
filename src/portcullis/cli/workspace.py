"""`portcullis init`: create a workspace."""

from __future__ import annotations

from typing import Annotated

import typer

from portcullis.cli.common import HomeOption, console, one_line_errors
from portcullis.initialise import init_workspace


def init(
    home: HomeOption = None,
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            help="State database URL (default: SQLite inside the workspace; "
            "or $PORTCULLIS_DATABASE_URL).",
        ),
    ] = None,
) -> None:
    """Create a workspace: stores, keys, the default program and the demo requesting agency."""
    with one_line_errors():
        workspace = init_workspace(home, state_url=database)
    console.print(f"Workspace created at [bold]{workspace.home}[/bold]")
    console.print(f"  demo signer key: {workspace.demo_signer_key_path}")
    console.print("  program: ice-address-verification")
