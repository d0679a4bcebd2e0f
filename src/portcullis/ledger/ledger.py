"""The disclosure ledger: append decisions, sign checkpoints, gather cosignatures, prove, verify."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Connection, Engine, select

from portcullis.keys import public_key_b64
from portcullis.ledger import checkpoints, coverage, nodes
from portcullis.ledger.checkpoint import Checkpoint
from portcullis.ledger.cosignature import valid_cosigners
from portcullis.ledger.cosigning import collect_cosignatures
from portcullis.ledger.errors import IndexOutOfRange
from portcullis.ledger.hashing import canonical_entry
from portcullis.ledger.receipt import Receipt
from portcullis.ledger.registry import register_witness, registered_witnesses
from portcullis.ledger.tables import ledger_entries, ledger_head
from portcullis.ledger.tiles import TileNotFound, parse_tile_path, tile_bytes
from portcullis.ledger.verify import VerifyReport, verify_ledger
from portcullis.ledger.witness_protocol import Cosigner
from portcullis.ledger.writer import LedgerWriter, ensure_head


class Ledger:
    """One append-only ledger in the state database, signed by one Ed25519 key under one origin."""

    def __init__(self, engine: Engine, signer: Ed25519PrivateKey, origin: str) -> None:
        self.engine = engine
        self.origin = origin
        self._signer = signer
        self.public_key: Ed25519PublicKey = signer.public_key()
        ensure_head(engine, origin, public_key_b64(self.public_key))
        self._writer = LedgerWriter(engine)

    def append(self, entry: Mapping[str, object], *, decision_key: str) -> int:
        """Record one decision and return its leaf index; a known decision key writes nothing."""
        return self._writer.append_many([(decision_key, canonical_entry(entry))])[0]

    def append_many(self, items: Sequence[tuple[str, Mapping[str, object]]]) -> list[int]:
        """Record (decision key, entry) pairs in one transaction and return their leaf indexes."""
        return self._writer.append_many([(key, canonical_entry(entry)) for key, entry in items])

    def integrate(
        self,
        items: Sequence[tuple[str, Mapping[str, object]]],
        settle: Callable[[Connection, list[int]], None],
        *,
        sign: bool = True,
    ) -> Checkpoint | None:
        """Append entries, let `settle` record their indexes and sign, all in one transaction.

        A crash before the commit leaves nothing of it: the entries are still pending where
        they were sequenced. With `sign`, the checkpoint covers them; none is signed when the
        ledger did not grow past the last one. Return the newest checkpoint as signed, without
        cosignatures (for `cosign`), or None when nothing was signed or asked to be.
        """
        bodies = [(key, canonical_entry(entry)) for key, entry in items]
        # Read outside the write transaction: nothing new and nothing unsigned writes nothing.
        if not bodies and (not sign or not self.has_unsigned()):
            return None
        with self._writer.lock, self.engine.begin() as conn:
            if bodies:
                settle(conn, self._writer.append_in(conn, bodies))
            if not sign:
                return None
            return checkpoints.sign_next(conn, self.origin, self._signer)

    def has_unsigned(self) -> bool:
        """Tell whether entries were appended since the newest signed checkpoint."""
        with self.engine.connect() as conn:
            return (checkpoints.latest_size(conn) or 0) < _head_size(conn)

    def size(self) -> int:
        """Return the number of entries recorded."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(ledger_head.c.size)).scalar_one())

    def entry(self, index: int) -> dict[str, object]:
        """Return the entry recorded at `index`."""
        with self.engine.connect() as conn:
            body = conn.execute(
                select(ledger_entries.c.body).where(ledger_entries.c.idx == index)
            ).scalar_one_or_none()
        if body is None:
            raise IndexOutOfRange(f"no ledger entry at index {index}")
        loaded: dict[str, object] = json.loads(bytes(body))
        return loaded

    def checkpoint(self) -> Checkpoint:
        """Sign a checkpoint over the current size if the ledger grew, and return the latest."""
        signed = self._sign_next()
        with self.engine.connect() as conn:
            return checkpoints.stored_checkpoint(conn, self.origin, signed.size)

    def _sign_next(self) -> Checkpoint:
        with self._writer.lock, self.engine.begin() as conn:
            return checkpoints.sign_next(conn, self.origin, self._signer)

    def checkpoint_if_due(self, every_entries: int, every_seconds: float) -> Checkpoint | None:
        """Sign a checkpoint if `every_entries` entries or `every_seconds` seconds have accrued."""
        with self.engine.connect() as conn:
            signed = checkpoints.latest_size(conn)
            age = (
                None
                if signed is None
                else dt.datetime.now(dt.UTC) - checkpoints.signed_at(conn, signed)
            )
        size = self.size()
        grown = size - (signed or 0)
        if signed is not None and grown == 0:
            return None
        if (
            signed is None
            or grown >= every_entries
            or (age is not None and age.total_seconds() >= every_seconds)
        ):
            return self.checkpoint()
        return None

    def latest_checkpoint(self) -> Checkpoint | None:
        """Return the newest signed checkpoint with its cosignature lines, if any."""
        with self.engine.connect() as conn:
            return checkpoints.latest_checkpoint(conn, self.origin)

    def latest_signed(self) -> Checkpoint | None:
        """Return the newest checkpoint as the ledger signed it, without cosignatures, if any."""
        with self.engine.connect() as conn:
            return checkpoints.latest_signed(conn, self.origin)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """Return the RFC 9162 inclusion proof of entry `index` in the tree of `size`."""
        self._check_size(size)
        with self.engine.connect() as conn:
            return nodes.inclusion_proof(conn, index, size)

    def consistency_proof(self, m: int, n: int) -> list[bytes]:
        """Return the RFC 9162 consistency proof from the tree of size `m` to that of size `n`."""
        self._check_size(n)
        with self.engine.connect() as conn:
            return nodes.consistency_proof(conn, m, n)

    def root(self, size: int) -> bytes:
        """Return the root hash of the tree of the first `size` entries."""
        self._check_size(size)
        with self.engine.connect() as conn:
            return nodes.root_at(conn, size)

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self.size():
            raise IndexOutOfRange(f"tree size {size} is beyond the ledger's {self.size()} entries")

    def register_witness(self, name: str, public_key_b64: str) -> None:
        """Trust cosignatures from witness `name` with this base64 Ed25519 public key."""
        register_witness(self.engine, name, public_key_b64)

    def request_cosignatures(
        self, witnesses: Sequence[Cosigner], timeout: float = 10.0
    ) -> Checkpoint:
        """Ask each witness to cosign the latest checkpoint; one that fails simply adds nothing."""
        latest = self.latest_signed() or self._sign_next()
        self.cosign(latest, witnesses, timeout)
        with self.engine.connect() as conn:
            return checkpoints.stored_checkpoint(conn, self.origin, latest.size)

    def cosign(
        self, signed: Checkpoint, witnesses: Sequence[Cosigner], timeout: float = 10.0
    ) -> coverage.Coverage | None:
        """Ask each witness that has not yet cosigned `signed` (as signed, without cosignatures).

        Return what it covers with the cosignatures stored now and before that verify, or None
        if the ledger's own signature on it does not (it covers nothing).
        """
        known = registered_witnesses(self.engine)
        cosigned = collect_cosignatures(self.engine, signed, witnesses, known, timeout)
        return coverage.coverage_of(signed.note, self.origin, self.public_key, cosigned)

    def cosigners(self, checkpoint: Checkpoint) -> set[str]:
        """Return the registered witnesses whose cosignature on `checkpoint` verifies."""
        return valid_cosigners(checkpoint.note, registered_witnesses(self.engine))

    def is_covered(self, index: int, quorum: int) -> bool:
        """Return True only if entry `index` is under a checkpoint with `quorum` valid cosigners."""
        known = registered_witnesses(self.engine)
        with self.engine.connect() as conn:
            return coverage.is_covered(conn, self.origin, self.public_key, known, index, quorum)

    def cover(
        self, index: int, quorum: int, witnesses: Sequence[Cosigner], timeout: float = 10.0
    ) -> bool:
        """Sign and gather cosignatures as needed; return whether `index` now has its quorum."""
        if self.is_covered(index, quorum):
            return True
        if index >= self.size():
            raise IndexOutOfRange(f"no ledger entry at index {index}")
        self.checkpoint()
        self.request_cosignatures(witnesses, timeout)
        return self.is_covered(index, quorum)

    def covering_size(self, quorum: int) -> int | None:
        """Return the size below which every entry is under a checkpoint with `quorum` cosigners."""
        known = registered_witnesses(self.engine)
        with self.engine.connect() as conn:
            return coverage.largest_covering_size(conn, self.origin, self.public_key, known, quorum)

    def receipts_at(self, indexes: Sequence[int], size: int) -> dict[int, Receipt]:
        """Build receipts for many entries against the one checkpoint of `size` (for batches)."""
        if any(not 0 <= index < size for index in indexes):
            raise IndexOutOfRange(f"an entry in the batch is not below size {size}")
        with self.engine.connect() as conn:
            checkpoint = checkpoints.stored_checkpoint(conn, self.origin, size)
            leaves = nodes.fetch_nodes(conn, [(0, index) for index in indexes])
            return {
                index: Receipt(
                    checkpoint.note,
                    index,
                    size,
                    leaves[(0, index)],
                    tuple(nodes.inclusion_proof(conn, index, size)),
                )
                for index in indexes
            }

    def receipt(self, index: int) -> Receipt:
        """Build the receipt for entry `index` from the best-cosigned checkpoint covering it."""
        if not 0 <= index < self.size():
            raise IndexOutOfRange(f"no ledger entry at index {index}")
        with self.engine.connect() as conn:
            size = coverage.receipt_checkpoint_size(conn, index)
            checkpoint = checkpoints.stored_checkpoint(conn, self.origin, size)
            proof = nodes.inclusion_proof(conn, index, size)
            leaf = nodes.fetch_nodes(conn, [(0, index)])[(0, index)]
        return Receipt(checkpoint.note, index, size, leaf, tuple(proof))

    def tile(self, path: str) -> bytes:
        """Return the tlog-tiles resource at `path` under the newest signed checkpoint."""
        tile = parse_tile_path(path)
        latest = self.latest_checkpoint()
        if latest is None or not tile.covered_by(latest.size):
            raise TileNotFound(f"{path}: not under the newest signed checkpoint")
        with self.engine.connect() as conn:
            return tile_bytes(conn, tile)

    def verify(self) -> VerifyReport:
        """Recompute every hash from the stored entries and check it against every checkpoint."""
        return verify_ledger(self.engine, self.origin, self.public_key)


def _head_size(conn: Connection) -> int:
    return int(conn.execute(select(ledger_head.c.size)).scalar_one())
