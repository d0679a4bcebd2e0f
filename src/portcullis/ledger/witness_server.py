"""The witness service: C2SP tlog-witness `add-checkpoint` over HTTP, one witness per process."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from portcullis.ledger.errors import LedgerError
from portcullis.ledger.witness import Witness
from portcullis.ledger.witness_protocol import (
    SIZE_CONTENT_TYPE,
    OldSizeMismatch,
    WitnessRefused,
    parse_add_checkpoint,
)

# A checkpoint with its signatures and a 63-line proof is a few kilobytes.
MAX_BODY = 64 * 1024


def witness_app(witness: Witness) -> Starlette:
    """Return the HTTP application of one witness; its state is only ever moved by this call."""

    async def add_checkpoint(request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_BODY:
            return PlainTextResponse("request body too large\n", status_code=413)
        try:
            asked = parse_add_checkpoint(body)
            line = await run_in_threadpool(
                witness.add_checkpoint, asked.old_size, asked.proof, asked.note
            )
        except OldSizeMismatch as mismatch:
            return Response(f"{mismatch.latest}\n", 409, media_type=SIZE_CONTENT_TYPE)
        except WitnessRefused as refusal:
            return PlainTextResponse(f"{refusal}\n", status_code=refusal.status)
        except LedgerError as malformed:  # a note that is not a checkpoint at all
            return PlainTextResponse(f"{malformed}\n", status_code=400)
        return PlainTextResponse(line)

    return Starlette(routes=[Route("/add-checkpoint", add_checkpoint, methods=["POST"])])
