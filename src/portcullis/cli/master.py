"""`portcullis master`: load taxpayer master files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from portcullis.cli.common import HomeOption, console, one_line_errors
from portcullis.master.loading import load_master_files
from portcullis.workspace import open_workspace

app = typer.Typer(help="Taxpayer master file commands.", no_args_is_help=True)


@app.command("load")
def load(
    files: Annotated[list[Path], typer.Argument(help="Master files: CSV, Parquet or JSON Lines.")],
    home: HomeOption = None,
) -> None:
    """Import taxpayer address records, replacing older copies of the same (TIN, tax year)."""
    with one_line_errors():
        workspace = open_workspace(home)
        with Progress(
            TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console
        ) as progress:
            tasks: dict[Path, TaskID] = {}

            def advance(path: Path, done: int, total: int) -> None:
                if path not in tasks:
                    tasks[path] = progress.add_task(f"loading {path.name}", total=total)
                progress.update(tasks[path], completed=done)

            report = load_master_files(workspace, files, progress=advance)
    table = Table(title="Master load")
    columns = ("files", "rows read", "rows loaded", "rows rejected", "share rejected")
    for name in (*columns, "rows with an ignored field", "rows new or changed", "seconds"):
        table.add_column(name)
    share = report.rows_rejected / report.rows_read if report.rows_read else 0.0
    table.add_row(
        str(len(report.files)),
        f"{report.rows_read:,}",
        f"{report.rows_loaded:,}",
        f"{report.rows_rejected:,}",
        f"{share:.2%}",
        f"{report.rows_with_ignored_fields:,}",
        f"{report.rows_written:,}",
        f"{report.seconds:.1f}",
    )
    console.print(table)
    for name in report.files_unchanged:
        console.print(f"  unchanged since its last load, not read again: {name}", markup=False)
    if not report.index_rebuilt:
        console.print("  match index: built from the store as it is, kept (nothing was written)")
    for error in report.rejects:
        console.print(f"  rejected: {error.describe()}", markup=False)
    for error in report.ignored:
        console.print(f"  kept, field ignored: {error.describe()}", markup=False)
