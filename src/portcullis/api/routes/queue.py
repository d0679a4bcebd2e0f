"""The processing queue, for operators: what is queued, running or failed, and retrying a job."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from portcullis.api.params import Name
from portcullis.api.problems import ApiProblem
from portcullis.api.road import gateway_of
from portcullis.api.schemas import JobOut
from portcullis.api.security import require
from portcullis.auth import Principal
from portcullis.worker import job_status, list_jobs, requeue_job

router = APIRouter(prefix="/v1/queue", tags=["queue"])

Operator = Annotated[Principal, Depends(require("operator"))]
Watcher = Annotated[Principal, Depends(require("operator", "auditor"))]


@router.get("", response_model=list[JobOut], summary="The processing queue")
def get_queue(
    request: Request, principal: Watcher, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[JobOut]:
    """Return queue entries newest first, with their state, attempts and any failure."""
    return [JobOut(**asdict(job)) for job in list_jobs(gateway_of(request).engine, limit=limit)]


@router.post("/{request_id}/retry", response_model=JobOut, summary="Retry a failed job")
def retry(request: Request, principal: Operator, request_id: Name) -> JobOut:
    """Queue a failed job again; the road resumes it without repeating any decision."""
    engine = gateway_of(request).engine
    if not requeue_job(engine, request_id):
        job = job_status(engine, request_id)
        if job is None:
            raise ApiProblem(404, "job_not_found", f"no queued request {request_id}")
        raise ApiProblem(409, "job_not_failed", f"the job of {request_id} is {job.state}")
    job = job_status(engine, request_id)
    assert job is not None
    return JobOut(**asdict(job))
