"""`portcullis accounts`: create and list API accounts (IRS staff, auditors, agencies)."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.table import Table

from portcullis.auth import ROLES, Role, create_account, list_accounts
from portcullis.cli.common import HomeOption, console, fail, one_line_errors
from portcullis.store.database import create_schema, open_engine
from portcullis.workspace import open_workspace

SECRET_ENV = "PORTCULLIS_ACCOUNT_SECRET"

app = typer.Typer(help="API accounts: users and agency service accounts.", no_args_is_help=True)


@app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="Account name (the OAuth client_id for agencies).")],
    role: Annotated[
        list[str], typer.Option("--role", help=f"A role to grant (repeat): {', '.join(ROLES)}.")
    ],
    service: Annotated[
        bool, typer.Option("--service", help="A requesting agency's service account.")
    ] = False,
    agency: Annotated[
        str | None, typer.Option("--agency", help="The agency a service account acts for.")
    ] = None,
    home: HomeOption = None,
) -> None:
    """Create an account; its secret comes from $PORTCULLIS_ACCOUNT_SECRET or a prompt."""
    unknown = sorted(set(role) - set(ROLES))
    if unknown:
        fail(f"unknown role {', '.join(unknown)}; choose from {', '.join(ROLES)}")
    roles: list[Role] = [r for r in ROLES if r in role]
    secret = os.environ.get(SECRET_ENV) or typer.prompt(
        "Secret", hide_input=True, confirmation_prompt=True
    )
    with one_line_errors():
        engine = open_engine(open_workspace(home).state_url)
        try:
            create_schema(engine)
            create_account(
                engine,
                name,
                secret,
                roles,
                kind="service" if service else "user",
                agency=agency,
            )
        finally:
            engine.dispose()
    console.print(f"Created {'service account' if service else 'user'} {name}: {', '.join(roles)}")


@app.command("list")
def list_(home: HomeOption = None) -> None:
    """List the enabled accounts and their roles."""
    with one_line_errors():
        engine = open_engine(open_workspace(home).state_url)
        try:
            found = list_accounts(engine)
        finally:
            engine.dispose()
    table = Table(title="Accounts")
    for column in ("name", "kind", "roles", "agency"):
        table.add_column(column)
    for principal in sorted(found, key=lambda p: p.name):
        table.add_row(
            principal.name,
            principal.kind,
            ", ".join(sorted(principal.roles)),
            principal.agency or "",
        )
    console.print(table)
