"""`portcullis accounting`: exports for auditors and oversight."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from portcullis.accounting import export_accounting
from portcullis.cli.common import HomeOption, console, one_line_errors
from portcullis.store.database import create_schema, open_engine
from portcullis.workspace import open_workspace

app = typer.Typer(help="Accounting exports.", no_args_is_help=True)


@app.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
    home: HomeOption = None,
) -> None:
    """Write the accounting export (CONTRACT.md section 5): one row per decision."""
    with one_line_errors():
        engine = open_engine(open_workspace(home).state_url)
        create_schema(engine)
        try:
            count = export_accounting(engine, out)
        finally:
            engine.dispose()
    console.print(f"Wrote {count:,} rows to {out}")
