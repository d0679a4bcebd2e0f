"""The queue worker: exclusive leases, resumption after a crash or a kill, nothing lost twice."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from portcullis.cli.app import app as cli
from portcullis.gateway import Gateway
from portcullis.jobs_tables import jobs
from portcullis.ledger.integrator import NotWitnessed
from portcullis.store.database import open_engine
from portcullis.store.tables import decisions, items, releases
from portcullis.worker import (
    adopt_pending,
    claim_job,
    enqueue_request,
    job_status,
    list_jobs,
    requeue_job,
    run_job,
    work_once,
)
from portcullis.workspace import Workspace
from tests.test_processing import QUICK, submit

WriteRequest = Callable[..., Path]
LATER = dt.timedelta(minutes=5)


def distinct_items(count: int) -> list[dict[str, str]]:
    # One officer per item keeps every item under the program's open-items cap.
    return [{"recipient_officers": f"ICE-HSI-{n:05d}"} for n in range(1, count + 1)]


def decided(gateway: Gateway, request_id: str) -> list[tuple[int, int]]:
    query = (
        sa.select(items.c.row, sa.func.count(decisions.c.item_pk))
        .join(decisions, decisions.c.item_pk == items.c.id, isouter=True)
        .where(items.c.request_id == request_id)
        .group_by(items.c.row)
        .order_by(items.c.row)
    )
    with gateway.engine.connect() as con:
        return [(row, int(n)) for row, n in con.execute(query)]


def count_rows(gateway: Gateway, table: sa.Table) -> int:
    with gateway.engine.connect() as con:
        return int(con.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_a_claimed_job_is_nobody_elses_until_its_lease_runs_out(
    gateway: Gateway, request_file: WriteRequest
) -> None:
    request_id = submit(gateway, request_file({}))
    assert enqueue_request(gateway.engine, request_id)
    assert not enqueue_request(gateway.engine, request_id)  # queued once only
    now = dt.datetime.now(dt.UTC)
    assert claim_job(gateway.engine, "first", now=now) == request_id
    assert claim_job(gateway.engine, "second", now=now) is None
    assert claim_job(gateway.engine, "second", now=now + LATER) == request_id
    job = job_status(gateway.engine, request_id)
    assert job is not None and (job.lease_owner, job.attempts) == ("second", 2)


def test_a_crashed_worker_is_resumed_without_repeating_a_decision(
    gateway: Gateway, request_file: WriteRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    request_id = submit(gateway, request_file(*distinct_items(6)))
    enqueue_request(gateway.engine, request_id)
    size_before = gateway.ledger.size()

    def crash(*_: Any, **__: Any) -> list[int]:
        raise RuntimeError("power cut")

    monkeypatch.setattr(gateway.ledger, "integrate", crash)
    monkeypatch.setattr(gateway.integrator, "settings", QUICK)
    # The decisions are stored; their ledger round fails, so the job stays leased for a retry.
    with pytest.raises(NotWitnessed, match="power cut"):
        work_once(gateway, "doomed")
    monkeypatch.undo()
    assert work_once(gateway, "heir") is None  # the dead worker's lease still holds
    assert work_once(gateway, "heir", now=dt.datetime.now(dt.UTC) + LATER) == request_id
    assert decided(gateway, request_id) == [(row, 1) for row in range(1, 7)]
    assert gateway.ledger.size() == size_before + 6
    assert job_status(gateway.engine, request_id).state == "done"  # type: ignore[union-attr]


def test_a_request_that_cannot_be_processed_fails_its_job(gateway: Gateway) -> None:
    enqueue_request(gateway.engine, "REQ-NOWHERE")
    owner = "w"
    assert claim_job(gateway.engine, owner) == "REQ-NOWHERE"
    assert run_job(gateway, "REQ-NOWHERE", owner) is None
    job = job_status(gateway.engine, "REQ-NOWHERE")
    assert job is not None and job.state == "failed" and "no request" in (job.error or "")


def test_requests_submitted_elsewhere_are_adopted(
    gateway: Gateway, request_file: WriteRequest
) -> None:
    request_id = submit(gateway, request_file({}))
    assert adopt_pending(gateway) == 1
    assert adopt_pending(gateway) == 0
    assert work_once(gateway, "w") == request_id
    assert count_rows(gateway, releases) == 1


@pytest.mark.slow
def test_a_worker_killed_mid_batch_is_resumed_by_the_next(
    workspace: Workspace, request_file: WriteRequest
) -> None:
    total = 150  # above the on-demand limit, so the batch path runs
    # The embedded master admits one process at a time, so this one lets go while the worker runs.
    with Gateway.open(workspace) as gateway:
        request_id = submit(gateway, request_file(*distinct_items(total)))
        enqueue_request(gateway.engine, request_id)
    command = [
        sys.executable, "-c", "from portcullis.cli.app import main; main()",
        "worker", "--home", str(workspace.home), "--lease", "1", "--poll", "0.1",
    ]  # fmt: skip
    engine = open_engine(workspace.state_url)
    worker = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_until_deciding(engine, request_id, worker)
    finally:
        if worker.poll() is None:
            os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        if worker.stderr is not None:
            worker.stderr.close()
        engine.dispose()
    with Gateway.open(workspace) as gateway:
        resumed = work_once(gateway, "heir", now=dt.datetime.now(dt.UTC) + LATER)
        assert resumed in (request_id, None)  # None: the killed worker had finished the job
        assert decided(gateway, request_id) == [(row, 1) for row in range(1, total + 1)]
        with gateway.engine.connect() as con:
            indexes = con.execute(sa.select(decisions.c.ledger_index)).scalars().all()
        assert None not in indexes and len(set(indexes)) == len(indexes) == total
        assert job_status(gateway.engine, request_id).state == "done"  # type: ignore[union-attr]


def _wait_until_deciding(
    engine: sa.Engine, request_id: str, worker: subprocess.Popen[bytes]
) -> None:
    # Kill as soon as the worker holds the job and decisions start to land: mid-batch.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and worker.poll() is None:
        with engine.connect() as con:
            state = con.execute(
                sa.select(jobs.c.state).where(jobs.c.request_id == request_id)
            ).scalar_one()
            stored = con.execute(sa.select(sa.func.count()).select_from(decisions)).scalar_one()
        if state == "done" or (state == "running" and stored > 0):
            return
        time.sleep(0.02)
    stderr = worker.stderr.read().decode() if worker.stderr and worker.poll() is not None else ""
    raise AssertionError(f"the worker never started deciding: {stderr}")


def test_worker_once_drains_the_queue_from_the_command_line(
    workspace: Workspace, request_file: WriteRequest
) -> None:
    with Gateway.open(workspace) as gateway:
        request_id = submit(gateway, request_file({}))
    result = CliRunner().invoke(cli, ["worker", "--once", "--home", str(workspace.home)])
    assert result.exit_code == 0, result.output
    assert "Processed 1 queued requests" in result.output
    with Gateway.open(workspace) as gateway:
        assert job_status(gateway.engine, request_id).state == "done"  # type: ignore[union-attr]


def test_a_failed_job_can_be_queued_again_once(gateway: Gateway) -> None:
    enqueue_request(gateway.engine, "REQ-NOWHERE")
    assert not requeue_job(gateway.engine, "REQ-NOWHERE")  # queued, not failed
    claim_job(gateway.engine, "w")
    run_job(gateway, "REQ-NOWHERE", "w")
    assert requeue_job(gateway.engine, "REQ-NOWHERE")
    [job] = list_jobs(gateway.engine)
    assert (job.state, job.attempts, job.error) == ("queued", 0, None)
