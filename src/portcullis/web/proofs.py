"""What the ledger explorer shows: the latest checkpoint's signers, and one entry with its proof."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from portcullis.keys import public_key_b64
from portcullis.ledger import EntryNotCheckpointed, Ledger, ReceiptInvalid, verify_receipt
from portcullis.ledger.cosignature import valid_cosigners
from portcullis.ledger.note import split_note
from portcullis.ledger.registry import registered_witnesses
from portcullis.ledger.tables import ledger_entries


@dataclass(frozen=True, slots=True)
class Signer:
    """One signature line of a checkpoint: who signed, in what capacity, and whether it verifies."""

    name: str
    role: str
    valid: bool


@dataclass(frozen=True, slots=True)
class CheckpointView:
    """The latest signed checkpoint: size, root, the note as signed, and its signers."""

    origin: str
    size: int
    root_b64: str
    note: str
    signers: tuple[Signer, ...]
    ledger_key_b64: str


@dataclass(frozen=True, slots=True)
class ProofView:
    """One entry, its receipt and the server's verdict, with the data the browser checks again."""

    index: int
    entry_text: str
    receipt: dict[str, object]
    server_ok: bool
    server_message: str
    cosigners: tuple[str, ...]
    browser_data: dict[str, Any]


def checkpoint_view(ledger: Ledger) -> CheckpointView | None:
    """Describe the newest signed checkpoint, or None before the first one."""
    latest = ledger.latest_checkpoint()
    if latest is None:
        return None
    cosigners = ledger.cosigners(latest)
    _, signatures = split_note(latest.note)
    signers = tuple(
        Signer(
            name=sig.name,
            role="ledger" if sig.name == latest.origin else "witness",
            # The note came back from open_checkpoint, so the ledger's own line has verified.
            valid=sig.name == latest.origin or sig.name in cosigners,
        )
        for sig in signatures
    )
    return CheckpointView(
        origin=latest.origin,
        size=latest.size,
        root_b64=base64.b64encode(latest.root).decode(),
        note=latest.note,
        signers=signers,
        ledger_key_b64=public_key_b64(ledger.public_key),
    )


def entry_bytes(ledger: Ledger, index: int) -> bytes | None:
    """Return the stored canonical bytes of entry `index` exactly as hashed, or None."""
    with ledger.engine.connect() as con:
        body = con.execute(
            sa.select(ledger_entries.c.body).where(ledger_entries.c.idx == index)
        ).scalar_one_or_none()
    return None if body is None else bytes(body)


def proof_view(ledger: Ledger, index: int) -> ProofView | str:
    """Build the proof of entry `index` and verify it on the server, or say why there is none."""
    size = ledger.size()
    data = entry_bytes(ledger, index) if index < size else None
    if data is None:
        return f"There is no entry {index}; the ledger holds {size} entries."
    try:
        receipt = ledger.receipt(index).to_json()
    except EntryNotCheckpointed:
        return f"Entry {index} is recorded but not yet under a signed checkpoint."
    entry = json.loads(data)
    witnesses = registered_witnesses(ledger.engine)
    try:
        verify_receipt(receipt, entry, ledger.public_key, witnesses, quorum=0)
        ok, message = True, "Verified on the server: ledger signature, leaf hash, inclusion proof."
    except ReceiptInvalid as exc:
        ok, message = False, f"The server could not verify this entry: {exc}"
    cosigners = tuple(sorted(valid_cosigners(str(receipt["checkpoint"]), witnesses)))
    return ProofView(
        index=index,
        entry_text=data.decode("utf-8"),
        receipt=receipt,
        server_ok=ok,
        server_message=message,
        cosigners=cosigners,
        browser_data={
            **receipt,
            "ledger_key": public_key_b64(ledger.public_key),
            "witness_keys": {name: public_key_b64(key) for name, key in witnesses.items()},
        },
    )
