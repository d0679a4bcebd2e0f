"""Program administration: read programs and their history; two-person changes; suspension."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from portcullis.api.params import Key, Name
from portcullis.api.proposals import confirm_change, list_proposals, propose_change
from portcullis.api.road import gateway_of
from portcullis.api.schemas import ChangeOut, ProposalIn, ProposalOut, SuspendIn
from portcullis.api.security import require
from portcullis.api.transport import require_media
from portcullis.auth import Principal
from portcullis.programs import get_program, list_programs, program_history, suspend_program

router = APIRouter(prefix="/v1/programs", tags=["programs"])

Admin = Annotated[Principal, Depends(require("program_admin"))]
Reader = Annotated[Principal, Depends(require("program_admin", "operator", "auditor"))]
JsonBody = [Depends(require_media("application/json"))]


@router.get("", response_model=list[dict[str, Any]], summary="List programs")
def get_programs(request: Request, principal: Reader) -> list[dict[str, Any]]:
    """Return the current version of every program."""
    return [p.model_dump(mode="json") for p in list_programs(gateway_of(request).engine)]


@router.get("/{program_id}", response_model=dict[str, Any], summary="One program")
def get_one(request: Request, principal: Reader, program_id: Name) -> dict[str, Any]:
    """Return the current version of a program."""
    return get_program(gateway_of(request).engine, program_id).model_dump(mode="json")


@router.get("/{program_id}/history", response_model=list[ChangeOut], summary="Program history")
def get_history(request: Request, principal: Reader, program_id: Name) -> list[ChangeOut]:
    """Return every recorded change to a program, oldest first."""
    return [
        ChangeOut(
            version=c.version,
            actor=c.actor,
            changed_at=c.changed_at,
            why=c.why,
            what={key: list(pair) for key, pair in c.what.items()},
        )
        for c in program_history(gateway_of(request).engine, program_id)
    ]


@router.get("/{program_id}/proposals", response_model=list[ProposalOut], summary="Proposals")
def get_proposals(request: Request, principal: Admin, program_id: Name) -> list[ProposalOut]:
    """Return a program's proposed changes, newest first."""
    get_program(gateway_of(request).engine, program_id)
    return [ProposalOut(**p) for p in list_proposals(gateway_of(request).engine, program_id)]


@router.post(
    "/{program_id}/proposals",
    status_code=201,
    response_model=ProposalOut,
    dependencies=JsonBody,
    summary="Propose a change",
)
def propose(request: Request, principal: Admin, program_id: Name, body: ProposalIn) -> ProposalOut:
    """Record a change for a second admin to confirm; nothing changes yet."""
    proposal = propose_change(
        gateway_of(request).engine, program_id, body.changes, actor=principal.name, why=body.why
    )
    return ProposalOut(**proposal)


@router.post(
    "/{program_id}/proposals/{proposal_id}/confirm",
    response_model=ProposalOut,
    summary="Confirm a proposed change",
)
def confirm(request: Request, principal: Admin, program_id: Name, proposal_id: Key) -> ProposalOut:
    """Apply another admin's proposal as a new program version."""
    proposal = confirm_change(
        gateway_of(request).engine, program_id, proposal_id, actor=principal.name
    )
    return ProposalOut(**proposal)


@router.post(
    "/{program_id}/suspend",
    response_model=dict[str, Any],
    dependencies=JsonBody,
    summary="Suspend a program under a court order",
)
def suspend(
    request: Request, principal: Admin, program_id: Name, body: SuspendIn
) -> dict[str, Any]:
    """Stop all releases of a program at once; resuming it takes a confirmed proposal."""
    program = suspend_program(
        gateway_of(request).engine,
        program_id,
        order_reference=body.order_reference,
        actor=principal.name,
        why=body.why,
    )
    return program.model_dump(mode="json")
