"""Group commit: one integrator appends every sequenced entry, checkpoints once, wakes waiters."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from portcullis.ledger.errors import LedgerError
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.witness_protocol import Cosigner

# A checkpoint is signed at most this often while requests wait (seconds), unless a batch fills.
DEFAULT_INTERVAL = 0.1
# Entries that make a batch full: the integrator starts its round at once instead of waiting.
DEFAULT_BATCH = 256
# How long one round waits for the witnesses' cosignatures (seconds).
DEFAULT_WITNESS_TIMEOUT = 2.0
# How long a request waits for its entries to be under a checkpoint with its quorum (seconds).
DEFAULT_COMMIT_TIMEOUT = 10.0


class NotWitnessed(LedgerError):
    """A request's decisions are recorded but not yet under a checkpoint with its quorum."""

    code = "not_witnessed"


@dataclass(frozen=True, slots=True)
class Sequenced:
    """One durably stored decision awaiting its ledger entry: its key, its entry, its owner."""

    decision_key: str
    entry: Mapping[str, object]
    token: object


class EntrySource(Protocol):
    """Where sequenced decisions are read from and where their leaf indexes are written back."""

    def pending(self, limit: int) -> list[Sequenced]:
        """Return up to `limit` stored decisions without a ledger index, in sequence order."""

    def settle(self, placed: Sequence[tuple[Sequenced, int]]) -> None:
        """Record the leaf index each decision received."""


@dataclass(frozen=True, slots=True)
class CommitSettings:
    """How often the integrator checkpoints and how long requests and witnesses are waited for."""

    interval: float = DEFAULT_INTERVAL
    batch: int = DEFAULT_BATCH
    witness_timeout: float = DEFAULT_WITNESS_TIMEOUT
    commit_timeout: float = DEFAULT_COMMIT_TIMEOUT


class Integrator:
    """Runs commit rounds in one thread: append all pending entries, checkpoint, cosign, notify."""

    def __init__(
        self,
        ledger: Ledger,
        witnesses: list[Cosigner],
        source: EntrySource,
        settings: CommitSettings | None = None,
    ) -> None:
        self.ledger = ledger
        self.witnesses = witnesses  # the gateway's own list: one set of witnesses
        self.source = source
        self.settings = settings or CommitSettings()
        self._cond = threading.Condition()
        self._started = 0  # rounds begun
        self._finished = 0  # rounds ended (well or not)
        self._wanted = 0  # the highest round some waiter needs
        self._queued = 0  # entries announced since the last round began
        self._failure: BaseException | None = None
        self._stop = False
        self._thread: threading.Thread | None = None

    def commit(self, covered: Callable[[], bool], *, entries: int = 1) -> None:
        """Wait until `covered()` holds after a round, or raise NotWitnessed past the bound."""
        deadline = time.monotonic() + self.settings.commit_timeout
        while True:
            self._await_round(entries, deadline)
            entries = 0
            if covered():
                return
            if time.monotonic() >= deadline:
                failure = f" ({self._failure})" if self._failure else ""
                raise NotWitnessed(
                    "the decisions are recorded in the ledger but no checkpoint with the"
                    f" program's witness quorum covers them after {self.settings.commit_timeout:g}"
                    f" s{failure}; nothing was released; ask again once the witnesses answer"
                )

    def flush(self) -> None:
        """Run (or wait for) one round that includes everything stored before this call."""
        self._await_round(1, time.monotonic() + self.settings.commit_timeout)

    def stop(self) -> None:
        """End the integrator's thread after its current round."""
        with self._cond:
            self._stop = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join()

    def _await_round(self, entries: int, deadline: float) -> None:
        with self._cond:
            self._ensure_thread()
            # A round that has already begun may have read the pending set before our rows existed.
            target = self._started + 1
            self._wanted = max(self._wanted, target)
            self._queued += entries
            self._cond.notify_all()
            while self._finished < target and not self._stop:
                if not self._cond.wait(max(0.0, deadline - time.monotonic())):
                    return

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stop = False
            self._thread = threading.Thread(target=self._run, name="ledger-integrator", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        last = 0.0
        while True:
            with self._cond:
                while not self._stop and self._wanted <= self._finished:
                    self._cond.wait()
                if self._stop:
                    return
                # Wait out the interval since the last round, unless enough entries are waiting.
                while not self._stop and self._queued < self.settings.batch:
                    left = last + self.settings.interval - time.monotonic()
                    if left <= 0:
                        break
                    self._cond.wait(left)
                self._started += 1
                self._queued = 0
            last = time.monotonic()
            failure: BaseException | None = None
            try:
                self._round()
            except Exception as exc:  # a failed round releases nothing; waiters retry or time out
                failure = exc
            with self._cond:
                self._failure = failure
                self._finished = self._started
                self._cond.notify_all()

    def _round(self) -> None:
        while True:
            batch = self.source.pending(self.settings.batch * 4)
            if batch:
                indexes = self.ledger.append_many([(s.decision_key, s.entry) for s in batch])
                self.source.settle(list(zip(batch, indexes, strict=True)))
            if len(batch) < self.settings.batch * 4:
                break
        self.ledger.checkpoint()
        self.ledger.request_cosignatures(self.witnesses, self.settings.witness_timeout)
