"""The `portcullis synth` command: write a synthetic population and request with ground truth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from portcullis.cli.common import console, one_line_errors
from portcullis.synth import generate_population, generate_request, write_population, write_request
from portcullis.synth.writing import FORMATS

app = typer.Typer(
    help="Generate synthetic taxpayers and a request batch with ground truth.",
    invoke_without_command=True,
    no_args_is_help=True,
)


@app.callback()
def synth(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the files into.")],
    taxpayers: Annotated[
        int, typer.Option("--taxpayers", help="Filers in the master file.")
    ] = 10_000,
    items: Annotated[int, typer.Option("--items", help="Request rows (0: no request).")] = 1_000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same bytes.")] = 0,
    fmt: Annotated[str, typer.Option("--format", help=f"One of {', '.join(FORMATS)}.")] = "csv",
    adversarial_share: Annotated[
        float, typer.Option("--adversarial-share", help="Share of items that must be refused.")
    ] = 0.15,
) -> None:
    """Write master, people, request and truth files generated from one seed."""
    with one_line_errors():
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,.0f}/{task.total:,.0f}"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=False) as progress:
            task = progress.add_task("taxpayers", total=taxpayers)
            population = generate_population(
                taxpayers, seed, lambda done, _total: progress.update(task, completed=done)
            )
            step = progress.add_task("writing population", total=1)
            paths = write_population(population, out, fmt)
            progress.update(step, completed=1)
            if items > 0:
                step = progress.add_task("request items", total=items)
                batch = generate_request(population, items, seed, adversarial_share)
                paths += write_request(batch, out, fmt)
                progress.update(step, completed=items)
    people = population.people.num_rows
    console.print(
        f"{population.taxpayer_count:,} taxpayers ({people:,} people, "
        f"{population.master.num_rows:,} master rows); {max(items, 0):,} request items"
    )
    for path in paths:
        console.print(f"  {path}", highlight=False)
