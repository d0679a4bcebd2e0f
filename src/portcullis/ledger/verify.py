"""Recompute the ledger from its stored entries and check it against every signed checkpoint."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, Engine, or_, select

from portcullis.keys import public_key_b64
from portcullis.ledger.checkpoint import Checkpoint, open_checkpoint
from portcullis.ledger.compact import CompactRange, Node
from portcullis.ledger.errors import LedgerError
from portcullis.ledger.hashing import leaf_hash
from portcullis.ledger.log_keys import LogKeys, load_log_keys
from portcullis.ledger.stored import (
    StoredValueMalformed,
    stored_bytes,
    stored_int,
    stored_text,
)
from portcullis.ledger.tables import (
    ledger_checkpoints,
    ledger_entries,
    ledger_head,
    ledger_nodes,
    node_key,
    node_of,
)

_PAGE = 5000


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The outcome of a full verification; on failure, the first bad entry and why."""

    ok: bool
    entries: int
    checkpoints: int
    checkpoint_size: int | None
    first_bad_index: int | None = None
    problem: str | None = None

    def describe(self) -> str:
        """Return one line an operator or auditor can read."""
        if self.ok:
            latest = self.checkpoint_size
            covered = "none signed yet" if latest is None else f"latest at size {latest}"
            return f"ledger verified: {self.entries} entries; checkpoints: {covered}"
        where = "" if self.first_bad_index is None else f"entry {self.first_bad_index}: "
        return f"ledger verification FAILED at {where}{self.problem}"


class _Failure(Exception):
    def __init__(self, index: int | None, problem: str) -> None:
        super().__init__(problem)
        self.index = index
        self.problem = problem


def _checkpoints(conn: Connection, origin: str, keys: LogKeys) -> list[Checkpoint]:
    rows = conn.execute(
        select(
            ledger_checkpoints.c.size, ledger_checkpoints.c.root_hash, ledger_checkpoints.c.note
        ).order_by(ledger_checkpoints.c.size)
    ).all()
    found: list[Checkpoint] = []
    for raw_size, raw_root, raw_note in rows:
        try:
            where = f"ledger_checkpoints row size={raw_size!r}"
            size = stored_int(raw_size, f"{where}, column size,")
            root = stored_bytes(raw_root, f"{where}, column root_hash,")
            note = stored_text(raw_note, f"{where}, column note,")
        except StoredValueMalformed as exc:
            raise _Failure(None, str(exc)) from exc
        try:
            # Each checkpoint must carry the key that was the ledger's at its size (rotation).
            checkpoint = open_checkpoint(note, origin, keys.for_size(int(size)))
        except LedgerError as exc:
            raise _Failure(None, f"checkpoint at size {size} is not validly signed: {exc}") from exc
        if (checkpoint.size, checkpoint.root) != (size, root):
            raise _Failure(None, f"checkpoint at size {size} disagrees with its signed note")
        found.append(checkpoint)
    return found


def _check_interior(conn: Connection, created: list[Node]) -> None:
    by_level: dict[int, dict[int, bytes]] = defaultdict(dict)
    for level, index, value in created:
        by_level[level][index] = value
    clauses = [
        ledger_nodes.c.node.between(node_key(level, min(ids)), node_key(level, max(ids)))
        for level, ids in by_level.items()
    ]
    stored: dict[tuple[int, int], bytes] = {}
    if clauses:
        rows = conn.execute(select(ledger_nodes.c.node, ledger_nodes.c.hash).where(or_(*clauses)))
        # A value of another type simply fails to match, naming the subtree below.
        stored = {
            node_of(int(key)): bytes(value) if isinstance(value, bytes | memoryview) else value
            for key, value in rows
        }
    for level, index, value in sorted(created, key=lambda node: node[1] << node[0]):
        if stored.get((level, index)) != value:
            first = index << level
            raise _Failure(
                first,
                f"stored subtree hash over entries {first}..{first + (1 << level) - 1}"
                " differs from the recomputed one",
            )


def _walk(conn: Connection, size: int, checkpoints: list[Checkpoint]) -> None:
    tree = CompactRange()
    pending = list(checkpoints)
    previous = 0
    while pending and pending[0].size == 0:
        if pending.pop(0).root != tree.root():
            raise _Failure(None, "the checkpoint at size 0 does not carry the empty-tree root")
    for start in range(0, size, _PAGE):
        end = min(start + _PAGE, size)
        rows = conn.execute(
            select(ledger_entries.c.idx, ledger_entries.c.body)
            .where(ledger_entries.c.idx >= start, ledger_entries.c.idx < end)
            .order_by(ledger_entries.c.idx)
        ).all()
        # Level 0 keys are the leaf indexes themselves.
        leaves = dict(
            conn.execute(
                select(ledger_nodes.c.node, ledger_nodes.c.hash).where(
                    ledger_nodes.c.node >= start, ledger_nodes.c.node < end
                )
            ).all()
        )
        created: list[Node] = []
        for index, body in rows:
            if index != tree.size:
                raise _Failure(tree.size, "the entry is missing (deleted or renumbered)")
            try:
                where = f"ledger_entries row idx={index}, column body,"
                value = leaf_hash(stored_bytes(body, where))
            except StoredValueMalformed as exc:
                raise _Failure(index, str(exc)) from exc
            if leaves.get(index) != value:
                raise _Failure(
                    index,
                    "the entry does not match its recorded leaf hash (edited, moved or inserted)",
                )
            created.extend(node for node in tree.append(value) if node[0] > 0)
            while pending and pending[0].size == tree.size:
                if pending.pop(0).root != tree.root():
                    raise _Failure(
                        previous,
                        f"entries {previous}..{tree.size - 1} do not reproduce the root signed"
                        f" at size {tree.size}",
                    )
                previous = tree.size
        if tree.size < end:
            raise _Failure(tree.size, "the entry is missing (deleted or renumbered)")
        _check_interior(conn, created)


def verify_ledger(engine: Engine, origin: str, key: Ed25519PublicKey) -> VerifyReport:
    """Verify every entry, subtree hash and checkpoint; report the first failure found."""
    with engine.connect() as conn:
        head = conn.execute(
            select(ledger_head.c.origin, ledger_head.c.public_key, ledger_head.c.size)
        ).one_or_none()
        if head is None:
            return VerifyReport(True, 0, 0, None)
        checkpoints: list[Checkpoint] = []
        size = 0
        try:
            size = stored_int(head.size, "ledger_head, column size,")
            if (head.origin, head.public_key) != (origin, public_key_b64(key)):
                raise _Failure(
                    None, f"the state database holds ledger {head.origin!r} with another key"
                )
            checkpoints = _checkpoints(conn, origin, load_log_keys(conn, key))
            if checkpoints and checkpoints[-1].size > size:
                raise _Failure(
                    size,
                    f"a checkpoint covers {checkpoints[-1].size} entries, only {size} are recorded",
                )
            _walk(conn, size, checkpoints)
            extra = conn.execute(
                select(ledger_entries.c.idx)
                .where(or_(ledger_entries.c.idx >= size, ledger_entries.c.idx < 0))
                .order_by(ledger_entries.c.idx)
                .limit(1)
            ).scalar_one_or_none()
            if extra is not None:
                raise _Failure(
                    int(extra), f"the entry lies outside the recorded size {size} (inserted)"
                )
        except StoredValueMalformed as exc:
            return VerifyReport(False, 0, 0, None, None, str(exc))
        except _Failure as failure:
            latest = checkpoints[-1].size if checkpoints else None
            return VerifyReport(
                False, size, len(checkpoints), latest, failure.index, failure.problem
            )
        latest = checkpoints[-1].size if checkpoints else None
        return VerifyReport(True, size, len(checkpoints), latest)
