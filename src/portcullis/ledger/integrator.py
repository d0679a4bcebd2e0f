"""Group commit: one integrator appends every sequenced entry, checkpoints once, wakes waiters.

One integrator serves every process of a workspace: the process whose integrator thread holds
the workspace's lock file leads (appends, checkpoints, gathers cosignatures, also for entries the
other processes sequenced); the others only wait for a checkpoint that covers their entries, and
one of them takes the lead when the leader's process ends (the system frees its lock).
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection

from portcullis.ledger.checkpoint import Checkpoint
from portcullis.ledger.coverage import Coverage
from portcullis.ledger.errors import LedgerError
from portcullis.ledger.leadership import leadership_for
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
# How often an idle leader asks the witnesses again for a checkpoint they have not all cosigned.
RETRY_UNCOSIGNED = 1.0


class NotCheckpointed(LedgerError):
    """No checkpoint covering the ledger's entries was signed within the bound."""

    code = "not_checkpointed"


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

    def settle(self, conn: Connection, placed: Sequence[tuple[Sequenced, int]]) -> None:
        """Record the leaf index each decision received, in the transaction that appended it."""


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
        *,
        lock_path: Path | None = None,
    ) -> None:
        self.ledger = ledger
        self.lock_path = lock_path  # None: this integrator is the only one of its ledger
        self._leadership = leadership_for(ledger.engine, ledger.origin, lock_path)
        self._leads = False
        self.witnesses = witnesses  # the gateway's own list: one set of witnesses
        self.source = source
        self.settings = settings or CommitSettings()
        self._cond = threading.Condition()
        self._started = 0  # rounds begun
        self._finished = 0  # rounds ended (well or not)
        self._wanted = 0  # the highest round some waiter needs
        self._queued = 0  # entries announced since the last round began
        self._failure: BaseException | None = None
        # What the last round's checkpoint covers, as that round stored and verified it.
        self._covered: Coverage | None = None
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

    def checkpoint(self, *, wait: bool = True) -> Checkpoint | None:
        """Have the one leader sign a checkpoint over every entry appended so far; return it.

        The round runs here when this integrator leads or can take the lead (no other runs);
        otherwise the running leader signs it and this waits up to `commit_timeout`, or, without
        `wait`, returns None at once and leaves the entries to that leader.
        """
        target = self.ledger.size()

        def signed() -> bool:
            latest = self.ledger.latest_checkpoint()
            return latest is not None and latest.size >= target

        if not wait and not self._lead_now():
            return None
        try:
            self.commit(signed)
        except NotWitnessed as exc:
            raise NotCheckpointed(
                f"no checkpoint covering the ledger's {target} entries was signed within"
                f" {self.settings.commit_timeout:g} s; the entries are kept, and the integrator"
                " that leads signs them when it next runs"
            ) from exc
        return self.ledger.latest_checkpoint()

    def covering_size(self, quorum: int, *, beyond: int = -1) -> int | None:
        """Return a size below which every entry is under a checkpoint with `quorum` cosigners.

        The last round's checkpoint answers when it has the quorum and covers entry `beyond`
        (its cosignatures were verified and stored by that round); otherwise the ledger is read.
        """
        known = self._covered
        if known is not None and known.has_quorum(quorum) and known.size > beyond:
            return known.size
        return self.ledger.covering_size(quorum)

    def _lead_now(self) -> bool:
        with self._cond:
            return self._try_to_lead()

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

    @property
    def leading(self) -> bool:
        """Tell whether this integrator runs the rounds (it holds the lock, or needs none)."""
        return self._leadership is None or self._leads

    def _try_to_lead(self) -> bool:
        if self._leadership is None:
            return True
        try:
            self._leads = self._leadership.acquire()
        except Exception:  # the store is unreachable: not leading until the next look
            self._leads = False
        return self._leads

    def _step_down(self) -> None:
        if self._leadership is not None:
            self._leadership.release()
        self._leads = False

    def _run(self) -> None:
        try:
            self._serve()
        finally:
            self._step_down()

    def _serve(self) -> None:
        last = 0.0
        retried = 0.0
        while True:
            with self._cond:
                # Woken by a waiter, or each interval to look for other processes' entries.
                while not self._stop and self._wanted <= self._finished:
                    if self.lock_path is None:
                        self._cond.wait()
                        continue
                    self._cond.wait(self.settings.interval)
                    if self._stop or self._wanted > self._finished:
                        break
                    if not self._try_to_lead():
                        continue
                    if self._others_waiting(retried):
                        retried = time.monotonic()
                        break
                if self._stop:
                    return
                if not self._try_to_lead():
                    # Another process leads: a "round" here is one interval of waiting for it.
                    self._cond.wait(self.settings.interval)
                    self._started += 1
                    self._finished = self._started
                    self._cond.notify_all()
                    continue
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

    def _others_waiting(self, retried: float) -> bool:
        # Entries sequenced by another process, or a checkpoint not all witnesses cosigned yet
        # (asked again at most every RETRY_UNCOSIGNED seconds while a witness is away).
        try:
            # Pending decisions, or entries another command appended and left to the leader.
            if self.source.pending(1) or self.ledger.has_unsigned():
                return True
            if time.monotonic() - retried < RETRY_UNCOSIGNED:
                return False
            size = self.ledger.size()
            covered = self.covering_size(max(1, len(self.witnesses)), beyond=size - 1)
            return size > 0 and (covered is None or covered < size)
        except Exception:  # the store is unreachable: the next look will tell
            return False

    def _round(self) -> None:
        # Entries, their indexes and the checkpoint over them commit together: one transaction
        # per round (per chunk when many wait), then one for the witnesses' cosignatures.
        while True:
            batch = self.source.pending(self.settings.batch * 4)
            last = len(batch) < self.settings.batch * 4
            entries = [(s.decision_key, s.entry) for s in batch]
            signed = self.ledger.integrate(
                entries, functools.partial(self._settle, batch), sign=last
            )
            if last:
                break
        # The checkpoint just signed is cosigned as it is in memory; with nothing new to sign,
        # the newest one is asked again (a witness may have been away).
        signed = signed or self.ledger.latest_signed()
        if signed is not None:
            covered = self.ledger.cosign(signed, self.witnesses, self.settings.witness_timeout)
            if covered is not None:
                self._covered = covered

    def _settle(self, batch: list[Sequenced], conn: Connection, indexes: list[int]) -> None:
        self.source.settle(conn, list(zip(batch, indexes, strict=True)))


class NoDecisions:
    """An entry source with nothing sequenced: for commands that only append their own entries."""

    def pending(self, limit: int) -> list[Sequenced]:
        """Return nothing: such a command has no stored decisions of its own."""
        del limit
        return []

    def settle(self, conn: Connection, placed: Sequence[tuple[Sequenced, int]]) -> None:
        """Record nothing."""
        del conn, placed


def checkpoint_by_leader(
    ledger: Ledger,
    witnesses: list[Cosigner],
    lock_path: Path,
    *,
    wait: bool = True,
    settings: CommitSettings | None = None,
) -> Checkpoint | None:
    """Sign through the integrator road from a command: the running leader, or this one if none."""
    integrator = Integrator(ledger, witnesses, NoDecisions(), settings, lock_path=lock_path)
    try:
        return integrator.checkpoint(wait=wait)
    finally:
        integrator.stop()
