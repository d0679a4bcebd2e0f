"""The `portcullis programs` commands: list, show, load and change programs, rotate signers."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Column, Table
from sqlalchemy import Engine

from portcullis import programs
from portcullis.cli.common import HomeOption, console, one_line_errors
from portcullis.contract.dates import DATE_FORMAT
from portcullis.programs import Program
from portcullis.store.database import create_schema, open_engine
from portcullis.workspace import open_workspace

app = typer.Typer(help="Disclosure programs: agreements, signers, status.", no_args_is_help=True)

WhyOption = Annotated[str, typer.Option("--why", help="Why the change is made (recorded).")]
ActorOption = Annotated[
    str | None,
    typer.Option(
        "--actor", help="Who makes the change (default: the login name).", show_default=False
    ),
]


@contextmanager
def _state(home: Path | None) -> Iterator[Engine]:
    with one_line_errors():
        engine = open_engine(open_workspace(home).state_url)
        try:
            create_schema(engine)
            yield engine
        finally:
            engine.dispose()


def _actor(actor: str | None) -> str:
    return actor or getpass.getuser()


def _report(program: Program) -> None:
    reference = program.suspension.order_reference if program.suspension else None
    status = f"{program.status} ({reference})" if reference else program.status
    console.print(f"{program.id} version {program.version}: {status}", highlight=False)


@app.command("list")
def list_command(home: HomeOption = None) -> None:
    """List every registered program with its version, agency, status and term."""
    with _state(home) as engine:
        found = programs.list_programs(engine)
    table = Table(Column("id", no_wrap=True), "version", "agency", "status", "term")
    for program in found:
        term = f"{program.term.start} to {program.term.end}"
        table.add_row(
            program.id, str(program.version), program.requesting_agency, program.status, term
        )
    console.print(table)


@app.command("show")
def show_command(program_id: str, home: HomeOption = None) -> None:
    """Print a program's current version as JSON."""
    with _state(home) as engine:
        program = programs.get_program(engine, program_id)
    console.print_json(program.model_dump_json())


@app.command("load")
def load_command(
    file: Path,
    why: WhyOption = "loaded from file",
    actor: ActorOption = None,
    home: HomeOption = None,
) -> None:
    """Validate a program file and register it (as a new version if the id exists)."""
    with _state(home) as engine:
        program = programs.load_program_file(file)
        _report(programs.install_program(engine, program, actor=_actor(actor), why=why))


@app.command("suspend")
def suspend_command(
    program_id: str,
    order: Annotated[str, typer.Option("--order", help="The court order's reference.")],
    why: WhyOption,
    actor: ActorOption = None,
    home: HomeOption = None,
) -> None:
    """Suspend a program under a court order: nothing is released until it is resumed."""
    with _state(home) as engine:
        program = programs.suspend_program(
            engine, program_id, order_reference=order, actor=_actor(actor), why=why
        )
        _report(program)


@app.command("resume")
def resume_command(
    program_id: str, why: WhyOption, actor: ActorOption = None, home: HomeOption = None
) -> None:
    """Lift a program's suspension."""
    with _state(home) as engine:
        _report(programs.resume_program(engine, program_id, actor=_actor(actor), why=why))


@app.command("safeguards")
def safeguards_command(
    program_id: str,
    why: WhyOption,
    open_findings: Annotated[
        bool, typer.Option("--open-findings/--no-open-findings", help="Safeguard findings open.")
    ] = False,
    corrective_plan: Annotated[
        bool, typer.Option("--corrective-plan/--no-corrective-plan", help="A plan is in place.")
    ] = False,
    actor: ActorOption = None,
    home: HomeOption = None,
) -> None:
    """Record the recipient's safeguard standing; open findings without a plan block releases."""
    with _state(home) as engine:
        program = programs.set_safeguards(
            engine,
            program_id,
            open_findings=open_findings,
            corrective_plan=corrective_plan,
            actor=_actor(actor),
            why=why,
        )
        _report(program)


@app.command("rotate-signer")
def rotate_signer_command(
    program_id: str,
    key_id: Annotated[str, typer.Option("--key-id", help="The signer key to retire.")],
    new_key_id: Annotated[str, typer.Option("--new-key-id", help="The replacing key's id.")],
    public_key_file: Annotated[
        Path,
        typer.Option("--public-key-file", help="The new key's public half (base64, a .pub file)."),
    ],
    why: WhyOption,
    retire_from: Annotated[
        dt.datetime | None,
        typer.Option(
            "--retire-from",
            formats=[DATE_FORMAT],
            help="First day (UTC) the old key's requests are refused (default: today).",
            show_default=False,
        ),
    ] = None,
    actor: ActorOption = None,
    home: HomeOption = None,
) -> None:
    """Give a signer a new key and retire the old one from a day, as a new program version."""
    with _state(home) as engine:
        try:
            public_key = public_key_file.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise programs.ProgramInvalid(f"cannot read {public_key_file}: {exc}") from exc
        day = retire_from.date() if retire_from else dt.datetime.now(dt.UTC).date()
        program = programs.rotate_signer(
            engine,
            program_id,
            key_id=key_id,
            new_key_id=new_key_id,
            new_public_key=public_key,
            retire_from=day,
            actor=_actor(actor),
            why=why,
        )
        _report(program)
    console.print(f"key {key_id} retired from {day}; {new_key_id} signs from now", highlight=False)


@app.command("history")
def history_command(program_id: str, home: HomeOption = None) -> None:
    """Show every recorded change to a program: version, who, when, why and what."""
    with _state(home) as engine:
        changes = programs.program_history(engine, program_id)
    table = Table("version", "when", "who", "why", "what")
    for change in changes:
        what = ", ".join(change.what) if len(change.what) <= 6 else f"{len(change.what)} keys"
        when = change.changed_at.isoformat(timespec="seconds")
        table.add_row(str(change.version), when, change.actor, change.why, what)
    console.print(table)
