"""The HTTP status each library error answers with, so a domain error is never a 500."""

from __future__ import annotations

import re

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from portcullis.api.problems import problem_response
from portcullis.api.proposals import ProposalNotPending, SameAdminConfirms
from portcullis.errors import PortcullisError
from portcullis.ledger.errors import IndexOutOfRange
from portcullis.ledger.integrator import NotWitnessed
from portcullis.on_demand import AnswerPending
from portcullis.programs import (
    ChangeUnexplained,
    ProgramChangedConcurrently,
    ProgramInvalid,
    ProgramNotFound,
)
from portcullis.review import ReviewNotPossible

STATUS_BY_ERROR: tuple[tuple[type[PortcullisError], int], ...] = (
    (ProgramNotFound, 404),
    (IndexOutOfRange, 404),
    (NotWitnessed, 503),
    (AnswerPending, 503),
    (ProposalNotPending, 409),
    (ProgramChangedConcurrently, 409),
    (ReviewNotPossible, 409),
    (SameAdminConfirms, 403),
    (ProgramInvalid, 422),
    (ChangeUnexplained, 422),
)


def status_for(exc: PortcullisError) -> int:
    """Return the status for a library error; an unlisted one is a request that cannot be done."""
    for kind, status in STATUS_BY_ERROR:
        if isinstance(exc, kind):
            return status
    return 422


def code_for(exc: PortcullisError) -> str:
    """Return the problem code: the error's own code, else its class name in snake case."""
    code = getattr(exc, "code", None)
    if isinstance(code, str) and code:
        return code
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(exc).__name__).lower()


def _library_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PortcullisError)
    return problem_response(request, status_for(exc), code_for(exc), str(exc))


def install_failure_handlers(app: FastAPI) -> None:
    """Answer every library error with its problem document."""
    app.add_exception_handler(PortcullisError, _library_problem)
