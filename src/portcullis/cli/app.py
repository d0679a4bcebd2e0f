"""Assemble the `portcullis` command from its groups."""

from __future__ import annotations

import typer

from portcullis.cli import (
    accounting,
    accounts,
    keys,
    ledger,
    master,
    match,
    programs,
    recall,
    reports,
    requests,
    synth,
    witness,
)
from portcullis.cli.demo import demo
from portcullis.cli.operations import backup, restore
from portcullis.cli.serve import serve
from portcullis.cli.worker import worker
from portcullis.cli.workspace import init

app = typer.Typer(
    name="portcullis",
    help="Portcullis: a disclosure gateway for 26 U.S.C. 6103(i)(2) requests.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("init")(init)
app.command("demo")(demo)
app.command("serve")(serve)
app.command("worker")(worker)
app.command("recall")(recall.recall)
app.command("backup")(backup)
app.command("restore")(restore)
app.add_typer(recall.release_app, name="release")
app.add_typer(reports.app, name="reports")
app.add_typer(master.app, name="master")
app.add_typer(requests.app, name="requests")
app.add_typer(accounting.app, name="accounting")
app.add_typer(accounts.app, name="accounts")
app.add_typer(ledger.app, name="ledger")
app.add_typer(keys.app, name="keys")
app.add_typer(match.app, name="match")
app.add_typer(programs.app, name="programs")
app.add_typer(synth.app, name="synth")
app.add_typer(witness.app, name="witness")


def main() -> None:
    """Run the command line."""
    app()
