"""The `portcullis ledger` commands: verify, prove, export and checkpoint the disclosure ledger."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Annotated

import typer

from portcullis.audit import audit_workspace
from portcullis.audit.findings import SHOWN
from portcullis.cli.common import HomeOption, console, fail, one_line_errors
from portcullis.ledger.demo import load_witnesses
from portcullis.ledger.export import export_ledger
from portcullis.ledger.integrator import checkpoint_by_leader
from portcullis.ledger.opening import open_ledger
from portcullis.ledger.publish import publish_ledger
from portcullis.workspace import open_workspace

app = typer.Typer(help="The tamper-evident disclosure ledger.", no_args_is_help=True)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@app.command()
def verify(home: HomeOption = None) -> None:
    """Verify the whole ledger and reconcile every decision, release, recall and review with it."""
    with one_line_errors():
        report = audit_workspace(open_workspace(home))
    if not report.ok:
        problems = report.problems()
        for line in problems[:SHOWN]:
            console.print(line, highlight=False, markup=False, soft_wrap=True)
        if len(problems) > SHOWN:
            console.print(f"... and {len(problems) - SHOWN} more", highlight=False)
        fail(report.describe())
    console.print(report.describe(), highlight=False)


@app.command()
def proof(
    index: Annotated[int, typer.Argument(help="0-based index of the entry.")],
    size: Annotated[
        int | None, typer.Option(help="Tree size to prove against (default: best checkpoint).")
    ] = None,
    home: HomeOption = None,
) -> None:
    """Print an inclusion proof (a receipt, unless --size is given) as JSON."""
    with one_line_errors(), open_ledger(open_workspace(home)) as ledger:
        if size is None:
            data = ledger.receipt(index).to_json()
        else:
            path = ledger.inclusion_proof(index, size)
            data = {
                "leaf_index": index,
                "tree_size": size,
                "root": _b64(ledger.root(size)),
                "inclusion_proof": [_b64(h) for h in path],
            }
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the export into.")],
    home: HomeOption = None,
) -> None:
    """Write entries, checkpoints and public keys for an independent auditor."""
    with one_line_errors(), open_ledger(open_workspace(home)) as ledger:
        summary = export_ledger(ledger.engine, out)
    console.print(
        f"exported {summary.entries} entries and {summary.checkpoints} checkpoints to {out}",
        highlight=False,
    )


@app.command()
def publish(
    folder: Annotated[Path, typer.Argument(help="Folder to write the tlog-tiles files into.")],
    home: HomeOption = None,
) -> None:
    """Write the newest checkpoint and its tiles as static C2SP tlog-tiles files."""
    with one_line_errors(), open_ledger(open_workspace(home)) as ledger:
        done = publish_ledger(ledger.engine, ledger.origin, folder)
    console.print(
        f"published the checkpoint at size {done.size} to {folder}:"
        f" {done.written} files written, {done.kept} full tiles already there",
        highlight=False,
    )


@app.command()
def checkpoint(home: HomeOption = None) -> None:
    """Sign a checkpoint over the current ledger and ask the workspace's witnesses to cosign it."""
    with one_line_errors():
        workspace = open_workspace(home)
    with one_line_errors(), open_ledger(workspace) as ledger:
        # Signed by the integrator that leads (a running server's), or here when none runs.
        witnesses = load_witnesses(ledger.engine, workspace)
        checkpoint_by_leader(ledger, witnesses, workspace.integrator_lock_path)
        signed = ledger.latest_checkpoint()
        assert signed is not None
        cosigners = ", ".join(sorted(ledger.cosigners(signed))) or "none"
    console.print(
        f"checkpoint at size {signed.size}, root {_b64(signed.root)}; cosigned by: {cosigners}",
        highlight=False,
    )
