"""`portcullis worker`: work the processing queue until stopped (or, with --once, until empty)."""

from __future__ import annotations

import datetime as dt
import signal
import threading
from typing import Annotated

import typer

from portcullis.cli.common import HomeOption, console, one_line_errors
from portcullis.gateway import Gateway
from portcullis.worker import adopt_pending, new_worker_id, run_worker, work_once
from portcullis.workspace import open_workspace


def worker(
    home: HomeOption = None,
    once: Annotated[bool, typer.Option("--once", help="Stop when the queue is empty.")] = False,
    poll: Annotated[
        float, typer.Option("--poll", help="Seconds to wait when the queue is empty.", min=0.05)
    ] = 1.0,
    lease: Annotated[
        float, typer.Option("--lease", help="Seconds a claim lasts without renewal.", min=1.0)
    ] = 60.0,
) -> None:
    """Process queued requests; a worker stopped at any point is resumed by the next one."""
    held = dt.timedelta(seconds=lease)
    owner = new_worker_id()
    with one_line_errors(), Gateway.open(open_workspace(home)) as gateway:
        if once:
            adopt_pending(gateway)
            done = 0
            while work_once(gateway, owner, lease=held) is not None:
                done += 1
            console.print(f"Processed {done:,} queued requests.")
            return
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        console.print(f"Worker {owner} is waiting for requests.")
        run_worker(gateway, stop, owner=owner, poll_seconds=poll, lease=held)
