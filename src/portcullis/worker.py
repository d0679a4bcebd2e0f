"""The queue worker: claim a request under a lease, run it along the road, mark it done."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from portcullis.errors import PortcullisError
from portcullis.gateway import Gateway
from portcullis.jobs_tables import jobs
from portcullis.ledger.integrator import NotWitnessed
from portcullis.processing import ProcessReport, pending_request_ids, process_request

DEFAULT_LEASE = dt.timedelta(seconds=60)
# A job that fails this many times in a row is set aside for an operator instead of looping.
MAX_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class Job:
    """One queued request and where it stands."""

    request_id: str
    state: str
    lease_owner: str | None
    attempts: int
    error: str | None


def new_worker_id() -> str:
    """Return a name for a worker that is unique across processes and restarts."""
    return f"worker-{uuid.uuid4().hex[:12]}"


def enqueue_request(engine: Engine, request_id: str, *, now: dt.datetime | None = None) -> bool:
    """Queue a request for processing; return False when it was queued before."""
    try:
        with engine.begin() as con:
            con.execute(
                jobs.insert().values(
                    request_id=request_id,
                    state="queued",
                    attempts=0,
                    queued_at=now or dt.datetime.now(dt.UTC),
                )
            )
    except IntegrityError:
        return False
    return True


def _claimable(now: dt.datetime) -> sa.ColumnElement[bool]:
    # A running job whose lease ran out belongs to a worker that died or stalled.
    return sa.or_(
        jobs.c.state == "queued",
        sa.and_(jobs.c.state == "running", jobs.c.lease_until < now),
    )


def claim_job(
    engine: Engine,
    owner: str,
    *,
    request_id: str | None = None,
    lease: dt.timedelta = DEFAULT_LEASE,
    now: dt.datetime | None = None,
) -> str | None:
    """Take the oldest claimable job (or the named one) under a lease; None if there is none."""
    moment = now or dt.datetime.now(dt.UTC)
    candidates = sa.select(jobs.c.request_id).where(_claimable(moment))
    if request_id is not None:
        candidates = candidates.where(jobs.c.request_id == request_id)
    with engine.connect() as con:
        found = [str(r) for (r,) in con.execute(candidates.order_by(jobs.c.queued_at).limit(5))]
    for candidate in found:
        # The guarded update is the claim: of two workers racing, exactly one matches a row.
        with engine.begin() as con:
            claimed = con.execute(
                jobs.update()
                .where(jobs.c.request_id == candidate, _claimable(moment))
                .values(
                    state="running",
                    lease_owner=owner,
                    lease_until=moment + lease,
                    attempts=jobs.c.attempts + 1,
                )
            ).rowcount
        if claimed == 1:
            return candidate
    return None


def _held(request_id: str, owner: str) -> sa.ColumnElement[bool]:
    return sa.and_(
        jobs.c.request_id == request_id, jobs.c.lease_owner == owner, jobs.c.state == "running"
    )


def renew_lease(
    engine: Engine, request_id: str, owner: str, *, lease: dt.timedelta = DEFAULT_LEASE
) -> bool:
    """Extend a held lease; False when the job is no longer this worker's."""
    with engine.begin() as con:
        renewed = con.execute(
            jobs.update()
            .where(_held(request_id, owner))
            .values(lease_until=dt.datetime.now(dt.UTC) + lease)
        ).rowcount
    return renewed == 1


def release_lease(engine: Engine, request_id: str, owner: str) -> bool:
    """Give a held job back to the queue at once, for another exchange or worker to take up."""
    with engine.begin() as con:
        released = con.execute(
            jobs.update()
            .where(_held(request_id, owner))
            .values(state="queued", lease_owner=None, lease_until=None)
        ).rowcount
    return released == 1


def finish_job(engine: Engine, request_id: str, owner: str, *, error: str | None = None) -> None:
    """Mark a held job done, or failed with the reason when `error` is given."""
    with engine.begin() as con:
        con.execute(_finished(request_id, owner, error))


def _mark_done(con: sa.Connection, request_id: str, owner: str) -> None:
    con.execute(_finished(request_id, owner, None))


def _finished(request_id: str, owner: str, error: str | None) -> sa.Update:
    return (
        jobs.update()
        .where(jobs.c.request_id == request_id, jobs.c.lease_owner == owner)
        .values(
            state="failed" if error else "done",
            lease_until=None,
            finished_at=dt.datetime.now(dt.UTC),
            error=error,
        )
    )


def job_status(engine: Engine, request_id: str) -> Job | None:
    """Return the queue entry of a request, if it has one."""
    with engine.connect() as con:
        row = con.execute(sa.select(jobs).where(jobs.c.request_id == request_id)).first()
    if row is None:
        return None
    return Job(row.request_id, row.state, row.lease_owner, row.attempts, row.error)


def list_jobs(engine: Engine, *, limit: int = 100) -> list[Job]:
    """Return queue entries, newest first."""
    query = sa.select(jobs).order_by(jobs.c.queued_at.desc(), jobs.c.request_id).limit(limit)
    with engine.connect() as con:
        rows = con.execute(query).all()
    return [Job(r.request_id, r.state, r.lease_owner, r.attempts, r.error) for r in rows]


def requeue_job(engine: Engine, request_id: str) -> bool:
    """Put a failed job back in the queue with fresh attempts; False if it had not failed."""
    with engine.begin() as con:
        changed = con.execute(
            jobs.update()
            .where(jobs.c.request_id == request_id, jobs.c.state == "failed")
            .values(state="queued", attempts=0, error=None, lease_owner=None, finished_at=None)
        ).rowcount
    return changed == 1


def run_job(
    gateway: Gateway,
    request_id: str,
    owner: str,
    *,
    lease: dt.timedelta = DEFAULT_LEASE,
    renew: bool = True,
) -> ProcessReport | None:
    """Process a claimed request to its outcomes and settle its job; None if it failed for good.

    The job is marked done in the transaction that records the request's end (and its packages).
    Without `renew`, no thread renews the lease: for a caller whose call ends well within it.
    """
    kept: AbstractContextManager[None] = (
        _kept_lease(gateway.engine, request_id, owner, lease) if renew else nullcontext()
    )
    try:
        with kept:
            report = process_request(
                gateway, request_id, settle=lambda con: _mark_done(con, request_id, owner)
            )
    except NotWitnessed:
        # Decided and recorded, waiting for witnesses: the lease runs out and the job is retried.
        raise
    except PortcullisError as exc:
        finish_job(gateway.engine, request_id, owner, error=str(exc))
        return None
    except Exception as exc:
        # An unexpected failure leaves the lease to run out, so the job is tried again later.
        job = job_status(gateway.engine, request_id)
        if job is not None and job.attempts >= MAX_ATTEMPTS:
            finish_job(gateway.engine, request_id, owner, error=f"{type(exc).__name__}: {exc}")
        raise
    return report


def adopt_pending(gateway: Gateway) -> int:
    """Queue accepted requests that reached the store without a job (e.g. submitted by the CLI)."""
    return sum(enqueue_request(gateway.engine, rid) for rid in pending_request_ids(gateway))


def work_once(
    gateway: Gateway,
    owner: str,
    *,
    lease: dt.timedelta = DEFAULT_LEASE,
    now: dt.datetime | None = None,
) -> str | None:
    """Claim and run one job; return its request id, or None when the queue is empty."""
    request_id = claim_job(gateway.engine, owner, lease=lease, now=now)
    if request_id is not None:
        run_job(gateway, request_id, owner, lease=lease)
    return request_id


def run_worker(
    gateway: Gateway,
    stop: threading.Event,
    *,
    owner: str | None = None,
    poll_seconds: float = 1.0,
    lease: dt.timedelta = DEFAULT_LEASE,
) -> None:
    """Work the queue until `stop` is set, waiting `poll_seconds` whenever it is empty."""
    name = owner or new_worker_id()
    while not stop.is_set():
        adopt_pending(gateway)
        try:
            done = work_once(gateway, name, lease=lease)
        except Exception:
            # The job stays leased and is tried again when the lease runs out; the loop goes on.
            done = None
        if done is None:
            stop.wait(poll_seconds)


@contextmanager
def _kept_lease(engine: Engine, request_id: str, owner: str, lease: dt.timedelta) -> Iterator[None]:
    # Renew well before expiry, so a long batch is never taken over while it is still running.
    done = threading.Event()

    def keep() -> None:
        while not done.wait(lease.total_seconds() / 3):
            renew_lease(engine, request_id, owner, lease=lease)

    keeper = threading.Thread(target=keep, name=f"lease-{request_id}", daemon=True)
    keeper.start()
    try:
        yield
    finally:
        done.set()
        keeper.join()
