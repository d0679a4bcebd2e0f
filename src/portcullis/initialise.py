"""Create a workspace: stores, keys, the default program and the demo requesting agency."""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from pathlib import Path

import duckdb

from portcullis.errors import WorkspaceExists
from portcullis.keys import create_private_key, public_key_b64
from portcullis.ledger import create_demo_witnesses
from portcullis.master.schema import create_master_tables
from portcullis.matching import build_index
from portcullis.programs import default_program, install_program
from portcullis.release.recipients import create_age_identity
from portcullis.store.database import create_schema, dedicated_schema_url, open_engine
from portcullis.store.tables import agencies
from portcullis.workspace import (
    CONFIG_NAME,
    DATABASE_ENV,
    Workspace,
    default_ledger_origin,
    default_state_url,
    resolve_home,
)

INIT_ACTOR = "portcullis init"


def init_workspace(home: Path | None, *, state_url: str | None = None) -> Workspace:
    """Create a new workspace at `home` and return it; refuse if one is there already."""
    path = resolve_home(home)
    if (path / CONFIG_NAME).exists():
        raise WorkspaceExists(f"a workspace already exists at {path}")
    path.mkdir(parents=True, exist_ok=True)
    url = state_url or os.environ.get(DATABASE_ENV) or default_state_url(path)
    url = dedicated_schema_url(url, workspace_schema_name(path))
    workspace = Workspace(home=path, state_url=url, ledger_origin=default_ledger_origin(path))
    for folder in (
        workspace.keys_dir,
        workspace.programs_dir,
        workspace.match_dir,
        workspace.reports_dir,
        workspace.packages_dir,
        workspace.inbox_dir,
    ):
        folder.mkdir(parents=True, exist_ok=True)
    create_private_key(workspace.ledger_key_path)
    create_private_key(workspace.release_key_path)
    signer = create_private_key(workspace.demo_signer_key_path)
    for secret in (workspace.tin_hash_key_path, workspace.token_secret_path):
        secret.write_bytes(secrets.token_bytes(32))
        secret.chmod(0o600)
    engine = open_engine(url)
    try:
        create_schema(engine)
        witnesses = create_demo_witnesses(engine, workspace)
        program = default_program(public_key_b64(signer.public_key()), witnesses)
        install_program(engine, program, actor=INIT_ACTOR, why="default program of a new workspace")
        recipient = create_age_identity(workspace.recipient_identity_path)
        with engine.begin() as con:
            con.execute(
                agencies.insert().values(
                    name=program.requesting_agency,
                    recipient_kind="age",
                    recipient_key=recipient.public_key,
                )
            )
    finally:
        engine.dispose()
    with duckdb.connect(str(workspace.master_path)) as master:
        create_master_tables(master)
        build_index(master)
    write_config(workspace)
    return workspace


def workspace_schema_name(path: Path) -> str:
    """Return a new PostgreSQL schema name for the workspace at `path`."""
    return "ws_" + re.sub(r"[^a-z0-9]+", "_", path.name.lower())[:40] + "_" + secrets.token_hex(4)


def write_config(workspace: Workspace) -> None:
    """Write the workspace's config; written last, since a workspace with one is complete."""
    created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    text = (
        "# Portcullis workspace\n"
        f'created_at = "{created}"\n'
        f"state_url = {_toml_string(workspace.state_url)}\n"
        f"ledger_origin = {_toml_string(workspace.ledger_origin)}\n"
    )
    workspace.config_path.write_text(text)


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
