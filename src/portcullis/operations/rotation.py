"""Rotate the ledger and release signing keys, keeping every earlier proof verifiable.

The old key's public half is kept in the state store with the sizes (ledger) or times (release)
it was valid for, its private half is destroyed, and a ledger rotation is itself recorded: an
entry naming the new key under a checkpoint signed by the old one, then one signed by the new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import update

from portcullis.keyring import RetiredKey, retire_key, retired_keys
from portcullis.keys import (
    create_private_key,
    fingerprint,
    load_private_key,
    public_key_b64,
    public_key_from_b64,
)
from portcullis.ledger.checkpoints import latest_checkpoint
from portcullis.ledger.demo import load_witnesses
from portcullis.ledger.integrator import checkpoint_by_leader
from portcullis.ledger.log_keys import load_log_keys
from portcullis.ledger.opening import open_ledger
from portcullis.ledger.tables import ledger_head
from portcullis.ledger.writer import claim_head
from portcullis.release.signing import SignatureInvalidError
from portcullis.store.database import create_schema, open_engine
from portcullis.workspace import Workspace


@dataclass(frozen=True, slots=True)
class Rotation:
    """A finished rotation: which role, the retired and the new key's fingerprints."""

    role: str
    retired: str
    current: str
    last_size: int | None = None


def rotate_ledger_key(workspace: Workspace, *, by: str, reason: str) -> Rotation:
    """Retire the ledger key after a handover checkpoint and sign on with a new one."""
    path = workspace.ledger_key_path
    fresh = _new_key(path)
    with open_ledger(workspace) as ledger:
        create_schema(ledger.engine)
        old = ledger.public_key
        now = dt.datetime.now(dt.UTC)
        ledger.append(
            {
                "kind": "key_rotation",
                "role": "ledger",
                "retired_key": public_key_b64(old),
                "new_key": public_key_b64(fresh),
                "by": by,
                "reason": reason,
                "at": now.isoformat(timespec="seconds"),
            },
            decision_key=f"key-rotation/ledger/{fingerprint(fresh)}",
        )
        witnesses = load_witnesses(ledger.engine, workspace)
        checkpoint_by_leader(ledger, witnesses, workspace.integrator_lock_path)
        with ledger.engine.begin() as conn:
            claim_head(conn)
            # A running leader may have signed past the handover: the old key's last is the newest.
            handover = latest_checkpoint(conn, ledger.origin)
            assert handover is not None
            first = load_log_keys(conn, old).next_first_size
            key = RetiredKey("ledger", public_key_b64(old), None, now, first, handover.size)
            retire_key(conn, key, by=by, reason=reason)
            conn.execute(update(ledger_head).values(public_key=public_key_b64(fresh)))
    _take_new_key(path, old)
    with open_ledger(workspace) as ledger:
        ledger.append(
            {"kind": "key_activated", "role": "ledger", "key": public_key_b64(fresh)},
            decision_key=f"key-activated/ledger/{fingerprint(fresh)}",
        )
        # A running leader signs with the new key once restarted; with none, it is signed here.
        witnesses = load_witnesses(ledger.engine, workspace)
        checkpoint_by_leader(ledger, witnesses, workspace.integrator_lock_path, wait=False)
    return Rotation("ledger", fingerprint(old), fingerprint(fresh), handover.size)


def rotate_release_key(workspace: Workspace, *, by: str, reason: str) -> Rotation:
    """Retire the release key (kept public, valid until now) and create a new one."""
    path = workspace.release_key_path
    old = load_private_key(path).public_key()
    fresh = _new_key(path)
    engine = open_engine(workspace.state_url)
    try:
        create_schema(engine)
        with engine.begin() as conn:
            earlier = retired_keys(conn, "release")
            since = earlier[-1].valid_until if earlier else None
            now = dt.datetime.now(dt.UTC)
            key = RetiredKey("release", public_key_b64(old), since, now, 0, None)
            retire_key(conn, key, by=by, reason=reason)
    finally:
        engine.dispose()
    _take_new_key(path, old)
    return Rotation("release", fingerprint(old), fingerprint(fresh))


def release_key_for(workspace: Workspace, key_id: str, signed_at: dt.datetime) -> Ed25519PublicKey:
    """Return the release key named `key_id` if it was in force at `signed_at`."""
    current = load_private_key(workspace.release_key_path).public_key()
    engine = open_engine(workspace.state_url)
    try:
        with engine.connect() as conn:
            retired = retired_keys(conn, "release")
    finally:
        engine.dispose()
    for key in retired:
        public = public_key_from_b64(key.public_key)
        if fingerprint(public) == key_id:
            if not key.covers_moment(signed_at):
                raise SignatureInvalidError(
                    f"release key {key_id} was not in force at {signed_at.isoformat()}"
                )
            return public
    if fingerprint(current) == key_id:
        if retired and signed_at < retired[-1].valid_until:
            raise SignatureInvalidError(f"release key {key_id} was not in force yet at {signed_at}")
        return current
    raise SignatureInvalidError(f"release key {key_id} is not one of this gateway's")


def _new_key(path: Path) -> Ed25519PublicKey:
    pending = path.with_name(path.name + ".new")
    return create_private_key(pending).public_key()


def _take_new_key(path: Path, old: Ed25519PublicKey) -> None:
    # The retired private key is destroyed; its public half stays beside the keys for auditors.
    retired = path.parent / "retired"
    retired.mkdir(exist_ok=True)
    (retired / f"{path.stem}-{fingerprint(old)}.pub").write_text(public_key_b64(old) + "\n")
    pending = path.with_name(path.name + ".new")
    pending.replace(path)
    pending.with_suffix(".pub").replace(path.with_suffix(".pub"))
