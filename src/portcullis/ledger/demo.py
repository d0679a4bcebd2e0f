"""A workspace's witnesses: services named in witnesses.toml, else in-process demo witnesses.

Each keeps its key and its state in its own home (`witnesses/<name>/` beside the workspace's
folders), never in the operator's state database, so that rolling that database back is found.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from sqlalchemy import Engine

from portcullis.keys import (
    KeyUnreadable,
    create_private_key,
    load_private_key,
    public_key_b64,
    public_key_from_b64,
)
from portcullis.ledger.errors import LedgerError
from portcullis.ledger.registry import register_witness, registered_witnesses
from portcullis.ledger.remote_witness import RemoteWitness
from portcullis.ledger.witness import Witness
from portcullis.ledger.witness_home import KEY_FILE
from portcullis.ledger.witness_protocol import Cosigner
from portcullis.workspace import Workspace

DEMO_WITNESSES = ("tigta", "jct")
LEDGER_KEY_NAME = "ledger-signer"
WITNESS_KEY_FILE = KEY_FILE
# Witnesses that run as their own services: [[witness]] tables of name, url and public_key.
WITNESS_SERVICES = "witnesses.toml"
# The folder of the workspace that holds the in-process witnesses' homes.
WITNESSES_DIR = "witnesses"
_SERVICE_FIELDS = ("name", "url", "public_key")


def witness_home(workspace: Workspace, name: str) -> Path:
    """Return the home of the workspace's in-process witness `name`: its key and its state."""
    return workspace.home / WITNESSES_DIR / name


def _witness_key(workspace: Workspace, name: str, *, create: bool) -> Path:
    path = witness_home(workspace, name) / WITNESS_KEY_FILE
    # Workspaces made before witnesses had homes kept the key among the operator's keys.
    earlier = workspace.keys_dir / f"witness-{name}.key"
    if not path.exists() and earlier.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        earlier.replace(path)
    if create and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        create_private_key(path)
    return path


def create_demo_witnesses(engine: Engine, workspace: Workspace) -> list[tuple[str, str]]:
    """Create (or reuse) the demo witnesses' homes, register them, and return (name, public key)."""
    created: list[tuple[str, str]] = []
    for name in DEMO_WITNESSES:
        key = load_private_key(_witness_key(workspace, name, create=True))
        public = public_key_b64(key.public_key())
        register_witness(engine, name, public)
        created.append((name, public))
    return created


def load_witnesses(engine: Engine, workspace: Workspace) -> list[Cosigner]:
    """Return the workspace's witnesses: those of witnesses.toml, else the demo ones in-process."""
    if (workspace.home / WITNESS_SERVICES).is_file():
        return list(remote_witnesses(engine, workspace))
    return list(demo_witnesses(engine, workspace))


def remote_witnesses(engine: Engine, workspace: Workspace) -> list[RemoteWitness]:
    """Return the witness services `witnesses.toml` names, registering each one's public key."""
    path = workspace.home / WITNESS_SERVICES
    try:
        listed = tomllib.loads(path.read_text(encoding="utf-8")).get("witness", [])
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LedgerError(f"{path} cannot be read: {exc}") from exc
    found: list[RemoteWitness] = []
    for number, item in enumerate(listed if isinstance(listed, list) else [None], start=1):
        fields = [item.get(k) if isinstance(item, dict) else None for k in _SERVICE_FIELDS]
        if not all(isinstance(value, str) and value for value in fields):
            raise LedgerError(f"{path}: witness {number} needs {', '.join(_SERVICE_FIELDS)}")
        name, url, public_key = (str(value) for value in fields)
        register_witness(engine, name, public_key)
        timeout = item.get("timeout", 10.0) if isinstance(item, dict) else 10.0
        found.append(RemoteWitness(name, url, float(timeout)))
    return found


def demo_witnesses(engine: Engine, workspace: Workspace) -> list[Witness]:
    """Return the registered witnesses whose homes are in the workspace, ready to cosign."""
    keys_dir = workspace.keys_dir
    public_file = keys_dir / f"{LEDGER_KEY_NAME}.pub"
    if public_file.exists():
        log_key = public_key_from_b64(public_file.read_text())
    else:
        log_key = load_private_key(keys_dir / f"{LEDGER_KEY_NAME}.key").public_key()
    witnesses: list[Witness] = []
    for name, public in sorted(registered_witnesses(engine).items()):
        path = _witness_key(workspace, name, create=False)
        if not path.exists():
            continue
        key = load_private_key(path)
        if public_key_b64(key.public_key()) != public_key_b64(public):
            raise KeyUnreadable(f"{path} does not hold the key registered for witness {name!r}")
        witnesses.append(Witness(name, key, path.parent, log_key))
    return witnesses
