"""A witness's own home, for an oversight body running it as a service: config, key and state."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA44PrivateKey

from portcullis.keys import (
    create_private_key,
    load_private_key,
    public_key_b64,
    public_key_from_b64,
)
from portcullis.ledger.errors import LedgerError
from portcullis.ledger.mldsa_cosignature import create_mldsa_key, load_mldsa_key
from portcullis.ledger.witness import Witness
from portcullis.ledger.witness_state import STATE_FILE

CONFIG_FILE = "witness.toml"
KEY_FILE = "witness.key"
MLDSA_KEY_FILE = "witness-mldsa.key"


class WitnessHomeInvalid(LedgerError):
    """The folder is not a witness home, or already is one."""


@dataclass(frozen=True, slots=True)
class WitnessHome:
    """What a witness home holds: who the witness is and the one log it follows."""

    path: Path
    name: str
    origin: str
    log_key: str

    def open(self) -> Witness:
        """Return the witness, with its key and its state from this home."""
        key = load_private_key(self.path / KEY_FILE)
        log_key = public_key_from_b64(self.log_key)
        return Witness(self.name, key, self.path, log_key, self.origin, pq_key(self.path))


def pq_key(home: Path) -> MLDSA44PrivateKey | None:
    """Return the ML-DSA-44 key of the witness home, if it has one."""
    path = home / MLDSA_KEY_FILE
    return load_mldsa_key(path) if path.exists() else None


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def init_witness_home(
    path: Path, *, name: str, origin: str, log_key: str, adopt_key: Path | None = None
) -> WitnessHome:
    """Create a witness home following the log `origin` signed by `log_key`.

    The witness gets a new key, or with `adopt_key` takes over that key file (moved, not copied:
    a demo witness's key leaves the operator's workspace for the oversight body's home).
    """
    if (path / CONFIG_FILE).exists() or (path / STATE_FILE).exists():
        raise WitnessHomeInvalid(f"{path} is already a witness home")
    if not name or any(ch.isspace() for ch in name) or "+" in name:
        raise WitnessHomeInvalid(f"witness name {name!r} must be non-empty, without spaces or '+'")
    log = public_key_b64(public_key_from_b64(log_key))
    path.mkdir(parents=True, exist_ok=True)
    if adopt_key is not None:
        load_private_key(adopt_key)  # refuse a file that holds no key before moving it
        adopt_key.replace(path / KEY_FILE)
    elif not (path / KEY_FILE).exists():
        create_private_key(path / KEY_FILE)
    if not (path / MLDSA_KEY_FILE).exists():
        create_mldsa_key(path / MLDSA_KEY_FILE)
    lines = [f"name = {_quoted(name)}", f"origin = {_quoted(origin)}", f"log_key = {_quoted(log)}"]
    (path / CONFIG_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return WitnessHome(path, name, origin, log)


def open_witness_home(path: Path) -> WitnessHome:
    """Read the witness home at `path`."""
    try:
        settings = tomllib.loads((path / CONFIG_FILE).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise WitnessHomeInvalid(f"{path} is not a witness home: {exc}") from exc
    values = [settings.get(field) for field in ("name", "origin", "log_key")]
    if not all(isinstance(value, str) and value for value in values):
        raise WitnessHomeInvalid(f"{path / CONFIG_FILE} needs name, origin and log_key")
    name, origin, log_key = (str(value) for value in values)
    return WitnessHome(path, name, origin, log_key)
