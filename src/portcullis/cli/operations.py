"""The `portcullis backup` and `portcullis restore` commands: thin doors onto operations/."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from portcullis.cli.common import HomeOption, console, one_line_errors
from portcullis.operations import backup_workspace, restore_workspace
from portcullis.workspace import open_workspace


def backup(
    dest: Annotated[Path, typer.Argument(help="The archive to write (a new file).")],
    home: HomeOption = None,
) -> None:
    """Back up the state store, the master and lookup, the keys and the files into one archive."""
    with one_line_errors():
        summary = backup_workspace(open_workspace(home), dest)
    rows = sum(summary.tables.values())
    console.print(
        f"backup written to {summary.archive}: {summary.files} files, {rows} state rows,"
        f" {summary.ledger_size} ledger entries, {summary.master_rows} master rows",
        highlight=False,
    )


def restore(
    src: Annotated[Path, typer.Argument(help="The archive written by 'portcullis backup'.")],
    home: HomeOption = None,
    database: Annotated[
        str | None,
        typer.Option(help="State database for the restored workspace (default: embedded SQLite)."),
    ] = None,
) -> None:
    """Restore a workspace from an archive into a new folder; accepted only once it verifies."""
    with one_line_errors():
        summary = restore_workspace(src, home, database_url=database)
    console.print(
        f"restored and verified {summary.workspace.home}: {summary.ledger_report};"
        f" {summary.master_rows} master rows",
        highlight=False,
    )
