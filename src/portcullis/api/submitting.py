"""Take one uploaded request through intake, then answer it now (on demand) or queue it (batch)."""

from __future__ import annotations

import json
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portcullis.api.lookup import record_submitter
from portcullis.api.problems import ApiProblem
from portcullis.auth import Principal
from portcullis.checks import RequestRefused
from portcullis.contract.manifest import ManifestMalformed, check_signed_manifest
from portcullis.gateway import Gateway
from portcullis.intake import submit_request
from portcullis.worker import claim_job, enqueue_request, new_worker_id, run_job

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Refusals whose HTTP status is not the general 422.
_STATUS = {"request_replayed": 409}


@dataclass(frozen=True, slots=True)
class Answer:
    """What the submit route reports: the request, and whether it was answered in the exchange."""

    request_id: str
    processed: bool


def read_signed_manifest_text(text: str) -> dict[str, Any]:
    """Parse the manifest form field, answering 400 for bad JSON and 422 for a bad shape."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ApiProblem(400, "malformed_json", f"the manifest is not JSON: {exc.msg}") from exc
    try:
        check_signed_manifest(document)
    except ManifestMalformed as exc:
        raise ApiProblem(422, "manifest_malformed", str(exc)) from exc
    return dict(document)


def submit_upload(
    gateway: Gateway,
    lock: threading.Lock,
    principal: Principal,
    file_name: str,
    file_bytes: bytes,
    signed: dict[str, Any],
    *,
    on_demand_limit: int,
) -> Answer:
    """Submit an uploaded request for `principal`, processing it at once when it is small."""
    agency = signed["manifest"]["requesting_agency"]
    if principal.agency != agency:
        # Checked before intake: another agency's request is not this account's to send.
        raise ApiProblem(
            403, "agency_mismatch", f"this account may only submit for {principal.agency}"
        )
    with tempfile.TemporaryDirectory(prefix="portcullis-upload-") as folder:
        path = Path(folder) / (_SAFE.sub("_", Path(file_name).name) or "request.csv")
        path.write_bytes(file_bytes)
        with lock:
            try:
                submission = submit_request(gateway, path, signed)
            except RequestRefused as exc:
                raise _refusal(exc) from exc
    record_submitter(gateway.engine, submission.request_id, principal.name, principal.agency)
    enqueue_request(gateway.engine, submission.request_id)
    if submission.item_count > on_demand_limit:
        return Answer(submission.request_id, processed=False)
    owner = new_worker_id()
    if claim_job(gateway.engine, owner, request_id=submission.request_id) is None:
        return Answer(submission.request_id, processed=False)
    report = run_job(gateway, submission.request_id, owner, lock=lock)
    return Answer(submission.request_id, processed=report is not None)


def _refusal(exc: RequestRefused) -> ApiProblem:
    return ApiProblem(_STATUS.get(exc.code, 422), exc.code, str(exc))
