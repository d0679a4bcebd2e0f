"""Compare the ledger's newest checkpoint with what each witness remembers having cosigned."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from portcullis.audit.findings import Finding
from portcullis.ledger.checkpoints import latest_size
from portcullis.ledger.nodes import root_at
from portcullis.ledger.witness import Witness
from portcullis.ledger.witness_protocol import Cosigner
from portcullis.ledger.witness_state import WitnessStateUnreadable

TABLE = "ledger_checkpoints"


def compare_heads(
    conn: Connection, origin: str, size: int, witnesses: Sequence[Cosigner]
) -> list[Finding]:
    """Name every witness whose cosigned tree the ledger no longer reaches or contradicts.

    `size` is the number of entries the ledger holds; a witness remembers in its own home, so
    deleting the newest checkpoint or restoring an older database is found here.
    """
    newest = latest_size(conn)
    found: list[Finding] = []
    # A witness service keeps its state in its own home, which this side cannot read.
    for witness in (w for w in witnesses if isinstance(w, Witness)):
        try:
            head = witness.latest(origin)
        except WitnessStateUnreadable as exc:
            found.append(Finding(f"witness {witness.name}", None, None, str(exc)))
            continue
        if head is None:
            continue
        cosigned, root = head
        if newest is None or cosigned > newest:
            found.append(
                Finding(
                    TABLE,
                    f"size={cosigned}",
                    None,
                    f"witness {witness.name} cosigned the tree at this size, but the newest"
                    f" checkpoint is at size {newest}: the ledger's head was rolled back",
                )
            )
        elif cosigned <= size and root_at(conn, cosigned) != root:
            found.append(
                Finding(
                    TABLE,
                    f"size={cosigned}",
                    None,
                    f"witness {witness.name} cosigned another root at this size:"
                    " the ledger was rewritten since",
                )
            )
    return found
