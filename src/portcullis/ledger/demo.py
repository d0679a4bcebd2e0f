"""In-process demo witnesses for an embedded workspace: TIGTA and the Joint Committee."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from portcullis.keys import (
    KeyUnreadable,
    create_private_key,
    load_private_key,
    public_key_b64,
    public_key_from_b64,
)
from portcullis.ledger.registry import register_witness, registered_witnesses
from portcullis.ledger.witness import Witness

DEMO_WITNESSES = ("tigta", "jct")
LEDGER_KEY_NAME = "ledger-signer"


def witness_key_file(keys_dir: Path, name: str) -> Path:
    """Return where a witness's private key lives in a workspace's keys folder."""
    return keys_dir / f"witness-{name}.key"


def create_demo_witnesses(engine: Engine, keys_dir: Path) -> list[tuple[str, str]]:
    """Create (or reuse) the demo witnesses' keys, register them, and return (name, public key)."""
    created: list[tuple[str, str]] = []
    for name in DEMO_WITNESSES:
        path = witness_key_file(keys_dir, name)
        key = load_private_key(path) if path.exists() else create_private_key(path)
        public = public_key_b64(key.public_key())
        register_witness(engine, name, public)
        created.append((name, public))
    return created


def load_witnesses(engine: Engine, keys_dir: Path) -> list[Witness]:
    """Return the registered witnesses whose private keys are in `keys_dir`, ready to cosign."""
    public_file = keys_dir / f"{LEDGER_KEY_NAME}.pub"
    if public_file.exists():
        log_key = public_key_from_b64(public_file.read_text())
    else:
        log_key = load_private_key(keys_dir / f"{LEDGER_KEY_NAME}.key").public_key()
    witnesses: list[Witness] = []
    for name, public in sorted(registered_witnesses(engine).items()):
        path = witness_key_file(keys_dir, name)
        if not path.exists():
            continue
        key = load_private_key(path)
        if public_key_b64(key.public_key()) != public_key_b64(public):
            raise KeyUnreadable(f"{path} does not hold the key registered for witness {name!r}")
        witnesses.append(Witness(name, key, engine, log_key))
    return witnesses
