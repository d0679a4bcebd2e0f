"""`portcullis requests`: sign, submit and process written requests."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from portcullis.cli.common import HomeOption, console, one_line_errors
from portcullis.contract.manifest import read_signed_manifest, write_signed_manifest
from portcullis.gateway import Gateway
from portcullis.intake import submit_request
from portcullis.processing import ProcessReport, pending_request_ids, process_request
from portcullis.programs import get_program
from portcullis.store.database import create_schema, open_engine
from portcullis.submission import sign_request_file
from portcullis.workspace import BATCH_ENGINES, BatchEngine, open_workspace

app = typer.Typer(help="Request commands: sign, submit, process.", no_args_is_help=True)

FileArg = Annotated[Path, typer.Argument(help="The request file (CSV, Parquet or JSON Lines).")]
ProgramOpt = Annotated[str, typer.Option("--program", help="Program id.")]
KeyOpt = Annotated[Path, typer.Option("--signer-key", help="The signer's Ed25519 private key.")]
RequestIdOpt = Annotated[
    str | None, typer.Option("--request-id", help="Request id (default: a new random id).")
]


@app.command("sign")
def sign(
    file: FileArg,
    program: ProgramOpt,
    signer_key: KeyOpt,
    out: Annotated[Path | None, typer.Option("--out", help="Manifest path.")] = None,
    request_id: RequestIdOpt = None,
    home: HomeOption = None,
) -> None:
    """Make and sign the manifest for a request file (written beside it by default)."""
    with one_line_errors():
        workspace = open_workspace(home)
        engine = open_engine(workspace.state_url)
        create_schema(engine)
        signed = sign_request_file(
            file, get_program(engine, program), signer_key, request_id=request_id
        )
        engine.dispose()
        target = out or file.with_name(file.name + ".manifest.json")
        write_signed_manifest(target, signed)
    console.print(f"Signed manifest written to {target}")


@app.command("submit")
def submit(
    file: FileArg,
    program: ProgramOpt,
    signer_key: Annotated[
        Path | None, typer.Option("--signer-key", help="Sign now with this key.")
    ] = None,
    manifest: Annotated[
        Path | None, typer.Option("--manifest", help="A manifest signed beforehand.")
    ] = None,
    request_id: RequestIdOpt = None,
    home: HomeOption = None,
) -> None:
    """Submit a request: sign it now with --signer-key, or give a signed --manifest."""
    with one_line_errors(), Gateway.open(open_workspace(home)) as gateway:
        if manifest is not None:
            signed = read_signed_manifest(manifest)
        elif signer_key is not None:
            signed = sign_request_file(
                file, get_program(gateway.engine, program), signer_key, request_id=request_id
            )
        else:
            raise typer.BadParameter("give --signer-key or --manifest")
        accepted = submit_request(gateway, file, signed)
    console.print(
        f"Accepted request [bold]{accepted.request_id}[/bold]: {accepted.item_count:,} items "
        f"({accepted.rows_with_errors:,} with field errors, to be refused by the checks)"
    )


@app.command("process")
def process(
    request_ids: Annotated[
        list[str] | None, typer.Argument(help="Requests to run (default: every pending one).")
    ] = None,
    home: HomeOption = None,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine",
            help="Decide batches on duckdb or spark (default: the workspace's [spark] setting).",
        ),
    ] = None,
) -> None:
    """Run pending requests to their outcomes."""
    chosen = batch_engine(engine)
    with one_line_errors(), Gateway.open(open_workspace(home)) as gateway:
        targets = request_ids or pending_request_ids(gateway)
        reports = [process_request(gateway, request_id, engine=chosen) for request_id in targets]
    if not reports:
        console.print("No pending requests.")
    for report in reports:
        print_report(report)


def batch_engine(name: str | None) -> BatchEngine | None:
    """Return the engine a command names, failing on a name that is none of them."""
    if name is None:
        return None
    for engine in BATCH_ENGINES:
        if engine == name:
            return engine
    raise typer.BadParameter(f"--engine must be one of {', '.join(BATCH_ENGINES)}, not {name!r}")


def print_report(report: ProcessReport) -> None:
    """Show one request's outcomes and reasons as tables."""
    table = Table(title=f"Request {report.request_id}")
    table.add_column("outcome")
    table.add_column("items", justify="right")
    for outcome, count in sorted(report.outcomes.items()):
        table.add_row(outcome, f"{count:,}")
    console.print(table)
    if report.reasons:
        reasons = Table(title="Reason codes")
        reasons.add_column("code")
        reasons.add_column("items", justify="right")
        for code, count in report.reasons.most_common():
            reasons.add_row(code, f"{count:,}")
        console.print(reasons)
    console.print(f"Packages released: {report.released:,}")
    if report.model_version:
        console.print(f"Match model: {report.model_version}")
    if report.learned:
        console.print(f"Learned from this request: {report.learned}")
    if (estimate := report.release_estimate) is not None:
        console.print(
            f"Release line: {estimate.released:,} matches released, "
            f"{estimate.expected_wrong:.4f} expected wrong (expected precision "
            f"{estimate.expected_precision:.6f}, bound {estimate.precision_bound}); "
            f"{estimate.demoted:,} sent to review by the line"
        )
        console.print(
            f"Review floor {estimate.review_floor:g}: {estimate.closed:,} held items closed as "
            f"no_match ({estimate.closed_expected_matches:.2f} expected to be the person)"
        )
    if report.batch_held:
        console.print("[bold]The refusal share held the whole request for review.[/bold]")
