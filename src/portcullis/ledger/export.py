"""Write everything an auditor needs to verify the ledger without access to our systems."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from portcullis.keyring import RetiredKey, retired_keys
from portcullis.keys import public_key_b64, public_key_from_b64
from portcullis.ledger.checkpoints import stored_checkpoint
from portcullis.ledger.errors import LedgerError
from portcullis.ledger.note import COSIGNATURE_V1, ED25519, vkey
from portcullis.ledger.registry import registered_witnesses
from portcullis.ledger.tables import ledger_checkpoints, ledger_entries, ledger_head

EXPORT_FORMAT = "portcullis-ledger-export/1"
ENTRIES_FILE = "entries.jsonl"
CHECKPOINTS_FILE = "checkpoints.jsonl"
KEYS_FILE = "keys.json"
_PAGE = 10_000


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export holds: how many entries and checkpoints, and where."""

    out_dir: Path
    entries: int
    checkpoints: int


def export_ledger(engine: Engine, out_dir: Path) -> ExportSummary:
    """Write entries (canonical JSON Lines), signed checkpoints and public keys into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with engine.connect() as conn:
        head = conn.execute(
            select(ledger_head.c.origin, ledger_head.c.public_key, ledger_head.c.size)
        ).one_or_none()
        if head is None:
            raise LedgerError("the state database holds no ledger to export")
        # Entries are append-only, so bounding every read by this size gives a consistent cut.
        size = int(head.size)
        with (out_dir / ENTRIES_FILE).open("wb") as handle:
            for start in range(0, size, _PAGE):
                bodies = conn.execute(
                    select(ledger_entries.c.body)
                    .where(
                        ledger_entries.c.idx >= start,
                        ledger_entries.c.idx < min(start + _PAGE, size),
                    )
                    .order_by(ledger_entries.c.idx)
                ).scalars()
                for body in bodies:
                    handle.write(bytes(body) + b"\n")
        sizes = (
            conn.execute(
                select(ledger_checkpoints.c.size)
                .where(ledger_checkpoints.c.size <= size)
                .order_by(ledger_checkpoints.c.size)
            )
            .scalars()
            .all()
        )
        with (out_dir / CHECKPOINTS_FILE).open("w", encoding="utf-8") as handle:
            for checkpoint_size in sizes:
                note = stored_checkpoint(conn, head.origin, int(checkpoint_size)).note
                handle.write(json.dumps({"note": note}, ensure_ascii=False) + "\n")
        retired = retired_keys(conn, "ledger")
    log_key = public_key_from_b64(head.public_key)
    keys = {
        "format": EXPORT_FORMAT,
        "origin": head.origin,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "entries": size,
        "log_key": {
            "name": head.origin,
            "public_key": head.public_key,
            "vkey": vkey(head.origin, ED25519, log_key),
        },
        "retired_log_keys": [_retired_entry(head.origin, key) for key in retired],
        "witnesses": [
            {
                "name": name,
                "public_key": public_key_b64(key),
                "vkey": vkey(name, COSIGNATURE_V1, key),
            }
            for name, key in sorted(registered_witnesses(engine).items())
        ],
    }
    (out_dir / KEYS_FILE).write_text(json.dumps(keys, indent=2, ensure_ascii=False) + "\n")
    return ExportSummary(out_dir, size, len(sizes))


def _retired_entry(origin: str, key: RetiredKey) -> dict[str, object]:
    # A retired key signed exactly the checkpoints of sizes first_size..last_size.
    return {
        "name": origin,
        "public_key": key.public_key,
        "vkey": vkey(origin, ED25519, public_key_from_b64(key.public_key)),
        "first_size": key.first_size,
        "last_size": key.last_size,
        "valid_until": key.valid_until.isoformat(timespec="seconds"),
    }
