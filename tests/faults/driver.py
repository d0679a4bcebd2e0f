"""Run one piece of the road in its own process, optionally SIGKILLing itself at a named function.

Usage: python driver.py ACTION --home DIR [--request FILE --manifest FILE] [--master FILE]
       [--fault MODULE:QUALNAME --when before|after --nth N] [--start-at EPOCH]

ACTION is `road` (submit the request if the store lacks it, then process every pending request),
`load` (load the master file and rebuild the index), `process` (process the named request id
only, given with --request-id) or `work` (claim and run one queued job as a worker).
The fault wraps the function so that its Nth call kills the process before or after it runs:
the road itself carries no crash hooks.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa


def arm(target: str, when: str, nth: int) -> None:
    """Replace `module:qualname` by a wrapper that SIGKILLs this process at its `nth` call."""
    module_name, qualname = target.split(":")
    owner: Any = importlib.import_module(module_name)
    *path, name = qualname.split(".")
    for part in path:
        owner = getattr(owner, part)
    original = getattr(owner, name)
    calls = 0

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if when == "before" and calls == nth:
            _die()
        result = original(*args, **kwargs)
        if when == "after" and calls == nth:
            _die()
        return result

    setattr(owner, name, wrapper)


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=("road", "load", "process", "work"))
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--request", type=Path)
    parser.add_argument("--manifest", type=Path)
    parser.add_argument("--request-id")
    parser.add_argument("--master", type=Path)
    parser.add_argument("--fault")
    parser.add_argument("--when", choices=("before", "after"), default="before")
    parser.add_argument("--nth", type=int, default=1)
    parser.add_argument("--start-at", type=float)
    args = parser.parse_args()
    if args.fault:
        arm(args.fault, args.when, args.nth)
    from portcullis.gateway import Gateway
    from portcullis.workspace import open_workspace

    workspace = open_workspace(args.home)
    if args.action == "load":
        from portcullis.master.loading import load_master_files

        report = load_master_files(workspace, [args.master])
        print(json.dumps({"loaded": report.rows_loaded}))
        return 0
    with Gateway.open(workspace) as gateway:
        if args.start_at:
            time.sleep(max(0.0, args.start_at - time.time()))
        if args.action == "road":
            _submit_once(gateway, args.request, args.manifest)
            from portcullis.processing import pending_request_ids, process_request

            for request_id in pending_request_ids(gateway):
                process_request(gateway, request_id)
        elif args.action == "process":
            from portcullis.processing import process_request

            process_request(gateway, args.request_id)
        else:
            from portcullis.worker import work_once

            print(json.dumps({"claimed": work_once(gateway, f"driver-{os.getpid()}")}))
    return 0


def _submit_once(gateway: Any, request: Path | None, manifest: Path | None) -> None:
    from portcullis.intake import submit_request
    from portcullis.store.tables import requests

    if request is None or manifest is None:
        return
    signed = json.loads(manifest.read_text(encoding="utf-8"))
    request_id = signed["manifest"]["request_id"]
    with gateway.engine.connect() as con:
        known = con.execute(
            sa.select(requests.c.request_id).where(requests.c.request_id == request_id)
        ).first()
    if known is None:
        submit_request(gateway, request, signed)


if __name__ == "__main__":
    sys.exit(main())
