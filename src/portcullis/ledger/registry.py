"""The witnesses a ledger trusts: names and public keys kept in the state database."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Engine, select

from portcullis.keys import public_key_b64, public_key_from_b64
from portcullis.ledger.errors import LedgerError
from portcullis.ledger.tables import ledger_witnesses


class WitnessKeyConflict(LedgerError):
    """A witness name is already registered with a different public key."""


def register_witness(engine: Engine, name: str, public_key: str) -> None:
    """Record a witness's name and base64 public key; registering the same pair again is a no-op."""
    key = public_key_b64(public_key_from_b64(public_key))
    if not name or any(ch.isspace() for ch in name) or "+" in name:
        raise LedgerError(f"witness name {name!r} must be non-empty, without spaces or '+'")
    with engine.begin() as conn:
        known = conn.execute(
            select(ledger_witnesses.c.public_key).where(ledger_witnesses.c.name == name)
        ).scalar_one_or_none()
        if known is None:
            conn.execute(ledger_witnesses.insert().values(name=name, public_key=key))
        elif known != key:
            raise WitnessKeyConflict(f"witness {name!r} is already registered with another key")


def registered_witnesses(engine: Engine) -> dict[str, Ed25519PublicKey]:
    """Return every registered witness's public key by name."""
    with engine.connect() as conn:
        rows = conn.execute(select(ledger_witnesses.c.name, ledger_witnesses.c.public_key))
        return {name: public_key_from_b64(key) for name, key in rows}
