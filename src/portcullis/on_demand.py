"""The on-demand road: an accepted small request is decided in the exchange that brought it.

Intake records the request and its job in one transaction, the job already leased to the
exchange, so no queue worker can take it first; the exchange then runs the one road
(`process_request` through `run_job`) and its answer is read from what was stored. The same
request sent again (same manifest, same file, a signature that verifies) is answered from the
store, never decided a second time; a different request under a used id is refused as a replay.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from portcullis.checks import RequestRefused
from portcullis.contract.manifest import ManifestMalformed, file_sha256, signature_valid
from portcullis.errors import PortcullisError
from portcullis.gateway import Gateway
from portcullis.intake import JobPlan, Recorded, submit_bytes
from portcullis.keys import public_key_from_b64
from portcullis.ledger.integrator import NotWitnessed
from portcullis.programs import ProgramNotFound, get_program
from portcullis.store.tables import requests
from portcullis.worker import (
    claim_job,
    enqueue_request,
    job_status,
    new_worker_id,
    release_lease,
    run_job,
)

# How often a repeated request looks again while the first exchange is still deciding it (s).
_POLL = 0.02


class AnswerPending(PortcullisError):
    """The request is recorded and still being decided by another exchange or worker."""

    code = "answer_pending"


@dataclass(frozen=True, slots=True)
class Handled:
    """What became of a submitted request: its id, whether it is decided, whether it was new."""

    request_id: str
    processed: bool
    repeated: bool


def submit_and_answer(
    gateway: Gateway,
    file_name: str,
    file_bytes: bytes,
    signed: dict[str, Any],
    *,
    on_demand_limit: int,
    wait: float,
    on_recorded: Recorded | None = None,
    repeatable: bool = False,
) -> Handled:
    """Record a request and decide it now when it has at most `on_demand_limit` items.

    With `repeatable`, the same signed request sent again is answered from the store; without,
    it is refused as a replay like any reused request id. `on_recorded` writes the caller's own
    rows about a new request in intake's transaction.
    """
    request_id = str(signed["manifest"]["request_id"])
    if repeatable and is_repeat(gateway, signed, file_bytes):
        return Handled(request_id, await_answer(gateway, request_id, wait), repeated=True)
    owner = new_worker_id()
    try:
        submission = submit_bytes(
            gateway,
            file_name,
            file_bytes,
            signed,
            job=JobPlan(owner, on_demand_limit),
            then=on_recorded,
        )
    except RequestRefused as exc:
        # Two exchanges carrying the same request at once: the one that lost the race waits.
        if repeatable and exc.code == "request_replayed" and is_repeat(gateway, signed, file_bytes):
            return Handled(request_id, await_answer(gateway, request_id, wait), repeated=True)
        raise
    if submission.item_count > on_demand_limit:
        return Handled(request_id, processed=False, repeated=False)
    return Handled(request_id, processed=_run_held(gateway, request_id, owner), repeated=False)


def is_repeat(gateway: Gateway, signed: dict[str, Any], file_bytes: bytes) -> bool:
    """Tell whether this exact signed request (manifest, file, valid signature) was accepted."""
    manifest = signed["manifest"]
    with gateway.engine.connect() as con:
        stored = con.execute(
            sa.select(requests.c.manifest, requests.c.file_sha256, requests.c.program_id).where(
                requests.c.request_id == str(manifest["request_id"])
            )
        ).first()
    if stored is None or stored.manifest != manifest:
        return False
    if stored.file_sha256 != file_sha256(file_bytes):
        return False
    try:
        signer = get_program(gateway.engine, stored.program_id).signer(
            str(manifest["signer"]["key_id"])
        )
        # The repeat must carry a seal that verifies: a copied manifest alone earns no answer.
        return signer is not None and signature_valid(
            signed, public_key_from_b64(signer.public_key)
        )
    except (ManifestMalformed, ProgramNotFound):
        return False


def await_answer(gateway: Gateway, request_id: str, wait: float) -> bool:
    """Wait up to `wait` s for the request to be decided, finishing it here if it was left."""
    deadline = time.monotonic() + wait
    owner = new_worker_id()
    while True:
        job = job_status(gateway.engine, request_id)
        if job is None:
            enqueue_request(gateway.engine, request_id)
        elif job.state == "done":
            return True
        elif job.state == "failed":
            return False
        # A job whose holder died (its lease ran out) or that nobody holds is taken up here.
        if claim_job(gateway.engine, owner, request_id=request_id) is not None:
            return _run_held(gateway, request_id, owner)
        if time.monotonic() >= deadline:
            raise AnswerPending(
                f"request {request_id} is recorded and still being decided; ask again shortly"
            )
        time.sleep(_POLL)


def _run_held(gateway: Gateway, request_id: str, owner: str) -> bool:
    try:
        # The exchange ends within the lease intake gave it (the ledger's wait is bounded well
        # below it), so no thread renews it; were it outrun, running the road again is safe.
        return run_job(gateway, request_id, owner, renew=False) is not None
    except NotWitnessed:
        # Decided and recorded, not yet witnessed: the job goes back at once, so that asking
        # again (or a worker) finishes it without waiting for this exchange's lease to run out.
        release_lease(gateway.engine, request_id, owner)
        raise
