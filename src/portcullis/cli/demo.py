"""`portcullis demo`: run the whole road on generated data and summarise it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from portcullis.cli.common import HomeOption, console, one_line_errors
from portcullis.cli.requests import print_report
from portcullis.demo import DemoResult, DemoSettings, run_demo


def demo(
    home: HomeOption = None,
    taxpayers: Annotated[int, typer.Option(help="Taxpayers to generate.")] = 200_000,
    items: Annotated[int, typer.Option(help="Items in the demo request.")] = 5_000,
    seed: Annotated[int, typer.Option(help="Seed for the generated data.")] = 2025,
) -> None:
    """Run the whole flow on generated data in a fresh workspace, with a summary."""
    settings = DemoSettings(taxpayers=taxpayers, items=items, seed=seed)
    with (
        one_line_errors(),
        Progress(
            TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console
        ) as progress,
    ):
        tasks: dict[Path, TaskID] = {}

        def advance(path: Path, done: int, total: int) -> None:
            if path not in tasks:
                tasks[path] = progress.add_task(f"  loading {path.name}", total=total)
            progress.update(tasks[path], completed=done)

        result = run_demo(
            home,
            settings,
            say=lambda stage: progress.console.print(f"• {stage}"),
            load_progress=advance,
        )
    show_summary(result)


def show_summary(result: DemoResult) -> None:
    """Print the demo's outcomes, accuracy, checkpoint and where its reports are."""
    print_report(result.process)
    truth = result.truth
    accuracy = Table(title="Accuracy against ground truth")
    accuracy.add_column("measure")
    accuracy.add_column("value", justify="right")
    accuracy.add_row("released to the right person", f"{truth.released_right:,}")
    accuracy.add_row("released to a wrong person", f"{truth.released_wrong:,}")
    accuracy.add_row("matchable but not released", f"{truth.matchable_not_released:,}")
    accuracy.add_row("precision of releases", _share(truth.precision))
    accuracy.add_row("recall of matchable items", _share(truth.recall))
    accuracy.add_row("lawful items refused", f"{truth.lawful_refused:,}")
    accuracy.add_row("  of them for a valid address", f"{truth.lawful_refused_for_address:,}")
    console.print(accuracy)
    for kind, count in result.wrong_by_kind.most_common():
        console.print(f"  wrong release, kind {kind}: {count}")
    timings = Table(title="Time by stage")
    timings.add_column("stage")
    timings.add_column("seconds", justify="right")
    for stage, seconds in result.stage_seconds.items():
        timings.add_row(stage, f"{seconds:.2f}")
    console.print(timings)
    console.print("Ledger checkpoint:", style="bold")
    console.print(result.checkpoint, markup=False, highlight=False)
    console.print(f"HTML report: {result.report_path}")
    console.print(f"Accounting export: {result.accounting_path}")
    console.print(f"Workspace: {result.workspace.home}")


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4%}"
