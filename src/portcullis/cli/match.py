"""The `portcullis match` commands: build the index, train a model, explain one match."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.table import Table

from portcullis.cli.common import HomeOption, console, fail, one_line_errors
from portcullis.contract.dates import date_error, read_date
from portcullis.contract.normalize import ERROR_MESSAGES
from portcullis.matching import (
    Matcher,
    MatchQuery,
    build_index,
    load_current_params,
    train,
)
from portcullis.matching.labels import parse_tax_years, read_labelled
from portcullis.workspace import open_workspace

app = typer.Typer(
    help="Match request items to taxpayers: index, train, explain.", no_args_is_help=True
)


@app.command("index")
def index_command(home: HomeOption = None) -> None:
    """Rebuild the match index from the taxpayer master."""
    with one_line_errors():
        workspace = open_workspace(home)
        with duckdb.connect(str(workspace.master_path)) as con:
            build_index(con)
            row = con.execute("SELECT taxpayers, keys FROM match_meta").fetchone()
    taxpayers, keys = row if row else (0, 0)
    console.print(f"match index built: {taxpayers} taxpayers, {keys} blocking keys")


@app.command("train")
def train_command(
    home: HomeOption = None,
    labelled: Annotated[
        Path | None,
        typer.Option(help="CSV of request columns plus true_tin, to estimate m from known pairs."),
    ] = None,
) -> None:
    """Estimate match parameters from the master and save them as a new model version."""
    with one_line_errors():
        workspace = open_workspace(home)
        pairs = read_labelled(labelled) if labelled else None
        with duckdb.connect(str(workspace.master_path)) as con:
            params = train(con, workspace.match_dir, labelled=pairs)
    console.print(f"match model {params.version} saved in {workspace.match_dir} ({params.notes})")


@app.command("explain")
def explain_command(
    first_name: Annotated[str, typer.Option()],
    last_name: Annotated[str, typer.Option()],
    street: Annotated[str, typer.Option()],
    city: Annotated[str, typer.Option()],
    state: Annotated[str, typer.Option()],
    zip_code: Annotated[str, typer.Option("--zip")],
    tax_years: Annotated[str, typer.Option(help='e.g. "2022-2024"')],
    date_of_birth: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    middle_name: Annotated[str | None, typer.Option()] = None,
    name_suffix: Annotated[str | None, typer.Option()] = None,
    unit: Annotated[str | None, typer.Option()] = None,
    tin: Annotated[str | None, typer.Option()] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the evidence as JSON.")] = False,
    home: HomeOption = None,
) -> None:
    """Match one person and show each field's level and weight, the total and the runner-up."""
    born = _date_of_birth(date_of_birth)
    with one_line_errors():
        workspace = open_workspace(home)
        query = MatchQuery(
            key="explain",
            first_name=first_name,
            middle_name=middle_name,
            last_name=last_name,
            name_suffix=name_suffix,
            date_of_birth=born,
            tin=tin,
            street=street,
            unit=unit,
            city=city,
            state=state,
            zip=zip_code,
            tax_years=parse_tax_years(tax_years),
        )
        params = load_current_params(workspace.match_dir)
        with duckdb.connect(str(workspace.master_path), read_only=True) as con:
            result = Matcher.open(con, params).match_one(query)
    if as_json:
        console.print_json(json.dumps({"verdict": result.verdict, "evidence": result.evidence}))
        return
    console.print(
        f"verdict: [bold]{result.verdict}[/bold]  weight {result.match_weight:.2f}  "
        f"probability {result.score:.6f}  model {result.model_version}"
    )
    console.print(f"reason: {result.evidence['reason']}")
    table = Table("field", "best level", "weight", "runner-up level", "weight")
    best = result.evidence.get("best") or {"fields": {}}
    runner = result.evidence.get("runner_up") or {"fields": {}}
    for name, entry in best["fields"].items():
        other = runner["fields"].get(name, {})
        table.add_row(
            name,
            entry["level"],
            f"{entry['weight']:.2f}",
            other.get("level", "-"),
            f"{other['weight']:.2f}" if other else "-",
        )
    console.print(table)


def _date_of_birth(text: str | None) -> dt.date | None:
    # The contract's one date form, read as the request reader reads it.
    if not text:
        return None
    error = date_error(text)
    if error is not None:
        fail(f"--date-of-birth {text!r}: {ERROR_MESSAGES[error]}")
    return read_date(text)
