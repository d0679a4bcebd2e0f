"""The `portcullis keys` commands: rotate the ledger or release signing key."""

from __future__ import annotations

from typing import Annotated

import typer

from portcullis.cli.common import HomeOption, console, fail, one_line_errors
from portcullis.operations.rotation import rotate_ledger_key, rotate_release_key
from portcullis.workspace import open_workspace

app = typer.Typer(help="Signing keys: rotation keeps every earlier proof verifiable.")


@app.command()
def rotate(
    by: Annotated[str, typer.Option("--by", help="The operator rotating the key.")],
    why: Annotated[str, typer.Option("--why", help="Why the key is rotated (recorded).")],
    ledger: Annotated[bool, typer.Option("--ledger", help="Rotate the ledger key.")] = False,
    release: Annotated[bool, typer.Option("--release", help="Rotate the release key.")] = False,
    home: HomeOption = None,
) -> None:
    """Retire a signing key (its public half kept with its validity) and start a new one."""
    if ledger == release:
        fail("name exactly one key to rotate: --ledger or --release")
    with one_line_errors():
        workspace = open_workspace(home)
        rotation = (
            rotate_ledger_key(workspace, by=by, reason=why)
            if ledger
            else rotate_release_key(workspace, by=by, reason=why)
        )
    console.print(
        f"rotated the {rotation.role} key: {rotation.retired} retired, {rotation.current} in use",
        highlight=False,
    )
