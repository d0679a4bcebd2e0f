"""`portcullis reports`: the annual report, overdue disposals and a taxpayer's accounting."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from portcullis.aftercare.annual import write_annual_report
from portcullis.aftercare.overdue import overdue_disposals, write_overdue_csv
from portcullis.aftercare.taxpayer import taxpayer_accounting
from portcullis.cli.common import HomeOption, console, one_line_errors
from portcullis.contract.dates import DATE_FORMAT
from portcullis.gateway import Gateway
from portcullis.workspace import open_workspace

app = typer.Typer(help="Reports for oversight, auditors and taxpayers.", no_args_is_help=True)

TodayOption = Annotated[
    dt.datetime | None,
    typer.Option(
        "--today", formats=[DATE_FORMAT], help="The day to report as of (default: today, UTC)."
    ),
]


def _today(today: dt.datetime | None) -> dt.date:
    return today.date() if today is not None else dt.datetime.now(dt.UTC).date()


@app.command("annual")
def annual(
    year: Annotated[int, typer.Option("--year", help="The calendar year to report.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the CSV and HTML files (default: reports/)."),
    ] = None,
    home: HomeOption = None,
) -> None:
    """Write the annual report to the Joint Committee on Taxation (26 U.S.C. 6103(p)(3)(C))."""
    with one_line_errors(), Gateway.open(open_workspace(home)) as gateway:
        files = write_annual_report(gateway, year, out or gateway.workspace.reports_dir)
    console.print(f"Wrote {files.csv_path} and {files.html_path}", highlight=False)


@app.command("overdue")
def overdue(
    today: TodayOption = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write a CSV file instead.")] = None,
    home: HomeOption = None,
) -> None:
    """List releases recalled or past retention whose disposal the recipient has not confirmed."""
    with one_line_errors(), Gateway.open(open_workspace(home)) as gateway:
        late = overdue_disposals(gateway, _today(today))
        if out is not None:
            count = write_overdue_csv(late, out)
    if out is not None:
        console.print(f"Wrote {count:,} overdue disposals to {out}", highlight=False)
        return
    if not late:
        console.print("No overdue disposals.")
        return
    table = Table("request", "row", "agency", "why", "due", "days overdue")
    for release in late:
        table.add_row(
            release.request_id,
            str(release.row),
            release.requesting_agency,
            release.why,
            release.due.isoformat(),
            str(release.days_overdue),
        )
    console.print(table)


@app.command("taxpayer")
def taxpayer(
    tin: Annotated[str, typer.Argument(help="The taxpayer's SSN or ITIN.")],
    for_taxpayer: Annotated[
        bool,
        typer.Option("--for-taxpayer", help="The taxpayer's own view: recent releases withheld."),
    ] = False,
    embargo_days: Annotated[
        int,
        typer.Option(
            "--embargo-days",
            help="Withhold releases at least this long (each program's embargo always applies).",
        ),
    ] = 0,
    today: TodayOption = None,
    home: HomeOption = None,
) -> None:
    """Print, as JSON, every release about a taxpayer with its ledger inclusion proof."""
    with one_line_errors(), Gateway.open(open_workspace(home)) as gateway:
        accounting = taxpayer_accounting(
            gateway,
            tin,
            for_taxpayer=for_taxpayer,
            today=_today(today),
            embargo_days=embargo_days,
        )
    typer.echo(json.dumps(accounting.to_json(), indent=2, ensure_ascii=False))
