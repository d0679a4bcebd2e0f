"""The `portcullis backup` and `portcullis restore` commands: thin doors onto operations/."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from portcullis.cli.common import HomeOption, console, one_line_errors
from portcullis.operations import backup_workspace, restore_workspace
from portcullis.release.recipients import AgeRecipient, load_age_identity
from portcullis.workspace import open_workspace


def backup(
    dest: Annotated[Path, typer.Argument(help="The archive to write (a new file).")],
    home: HomeOption = None,
    encrypt_to: Annotated[
        list[str] | None,
        typer.Option(
            "--encrypt-to",
            metavar="AGE_RECIPIENT",
            help="Encrypt the archive with age to this public key (age1...); repeatable.",
        ),
    ] = None,
) -> None:
    """Back up the state store, the master and lookup, the keys and the files into one archive."""
    with one_line_errors():
        recipients = [AgeRecipient(key.strip()) for key in encrypt_to or []]
        summary = backup_workspace(open_workspace(home), dest, encrypt_to=recipients)
    rows = sum(summary.tables.values())
    sealed = (
        f", encrypted to {len(summary.encrypted_to)} age key(s)" if summary.encrypted_to else ""
    )
    console.print(
        f"backup written to {summary.archive}: {summary.files} files, {rows} state rows,"
        f" {summary.ledger_size} ledger entries, {summary.master_rows} master rows{sealed}",
        highlight=False,
    )


def restore(
    src: Annotated[Path, typer.Argument(help="The archive written by 'portcullis backup'.")],
    home: HomeOption = None,
    database: Annotated[
        str | None,
        typer.Option(help="State database for the restored workspace (default: embedded SQLite)."),
    ] = None,
    identity: Annotated[
        Path | None,
        typer.Option(
            "--identity",
            metavar="FILE",
            help="The operator's age identity file, for an archive made with --encrypt-to.",
        ),
    ] = None,
) -> None:
    """Restore a workspace from an archive into a new folder; accepted only once it verifies."""
    with one_line_errors():
        key = None if identity is None else load_age_identity(identity)
        summary = restore_workspace(src, home, database_url=database, identity=key)
    console.print(
        f"restored and verified {summary.workspace.home}: {summary.ledger_report};"
        f" {summary.master_rows} master rows",
        highlight=False,
    )
