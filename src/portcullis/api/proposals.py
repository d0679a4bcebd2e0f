"""Two-person program changes: one admin proposes, a different admin confirms, then it applies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine

from portcullis.api.tables import program_proposals
from portcullis.errors import PortcullisError
from portcullis.programs import change_program, get_program, validate_program
from portcullis.programs.history import apply_changes


class ProposalNotPending(PortcullisError):
    """The proposal does not exist for that program, or was already settled."""


class SameAdminConfirms(PortcullisError):
    """The admin who proposed a change tries to confirm it too."""

    code = "separation_of_duties"


def propose_change(
    engine: Engine, program_id: str, changes: Mapping[str, Any], *, actor: str, why: str
) -> dict[str, Any]:
    """Record a proposed change after checking it would yield a valid program."""
    current = get_program(engine, program_id)
    # Validated now so a second admin is never asked to confirm something that cannot apply.
    document = apply_changes(current.model_dump(mode="json"), changes)
    validate_program(document, source=f"proposal for {program_id}")
    with engine.begin() as con:
        inserted = con.execute(
            program_proposals.insert().values(
                program_id=program_id,
                changes=dict(changes),
                why=why,
                proposed_by=actor,
                proposed_at=dt.datetime.now(dt.UTC),
                state="pending",
            )
        ).inserted_primary_key
    assert inserted is not None
    return find_proposal(engine, program_id, int(inserted[0]))


def confirm_change(
    engine: Engine, program_id: str, proposal_id: int, *, actor: str
) -> dict[str, Any]:
    """Apply a pending proposal as a new program version, confirmed by a second admin."""
    proposal = find_proposal(engine, program_id, proposal_id)
    if proposal["state"] != "pending":
        raise ProposalNotPending(f"proposal {proposal_id} is {proposal['state']}")
    if proposal["proposed_by"] == actor:
        raise SameAdminConfirms("a program change needs a second admin to confirm it")
    guard = (program_proposals.c.id == proposal_id) & (program_proposals.c.state == "pending")
    with engine.begin() as con:
        # Taking the proposal first means two confirmations racing cannot both apply it.
        taken = con.execute(
            program_proposals.update().where(guard).values(state="applying", confirmed_by=actor)
        ).rowcount
    if taken != 1:
        raise ProposalNotPending(f"proposal {proposal_id} is no longer pending")
    try:
        program = change_program(
            engine,
            program_id,
            proposal["changes"],
            actor=f"{proposal['proposed_by']} (confirmed by {actor})",
            why=proposal["why"],
        )
    except Exception:
        with engine.begin() as con:
            con.execute(
                program_proposals.update()
                .where(program_proposals.c.id == proposal_id)
                .values(state="pending", confirmed_by=None)
            )
        raise
    with engine.begin() as con:
        con.execute(
            program_proposals.update()
            .where(program_proposals.c.id == proposal_id)
            .values(state="applied", settled_at=dt.datetime.now(dt.UTC), version=program.version)
        )
    return find_proposal(engine, program_id, proposal_id)


def find_proposal(engine: Engine, program_id: str, proposal_id: int) -> dict[str, Any]:
    """Return one proposal of a program."""
    query = sa.select(program_proposals).where(
        program_proposals.c.id == proposal_id, program_proposals.c.program_id == program_id
    )
    with engine.connect() as con:
        row = con.execute(query).first()
    if row is None:
        raise ProposalNotPending(f"program {program_id} has no proposal {proposal_id}")
    return dict(row._mapping)


def list_proposals(engine: Engine, program_id: str) -> list[dict[str, Any]]:
    """Return a program's proposals, newest first."""
    query = (
        sa.select(program_proposals)
        .where(program_proposals.c.program_id == program_id)
        .order_by(program_proposals.c.id.desc())
    )
    with engine.connect() as con:
        return [dict(row._mapping) for row in con.execute(query)]
