"""Program status changes: court-ordered suspension, resumption, and recipient safeguards."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from portcullis.programs.program import Program
from portcullis.programs.registry import change_program


def suspend_program(
    engine: Engine,
    program_id: str,
    *,
    order_reference: str,
    actor: str,
    why: str,
    since: dt.date | None = None,
) -> Program:
    """Suspend a program under a court order; nothing is released until it is resumed."""
    day = since or dt.datetime.now(dt.UTC).date()
    suspension = {"order_reference": order_reference, "since": day.isoformat()}
    return change_program(engine, program_id, {"suspension": suspension}, actor=actor, why=why)


def resume_program(engine: Engine, program_id: str, *, actor: str, why: str) -> Program:
    """Lift a program's suspension."""
    return change_program(engine, program_id, {"suspension": None}, actor=actor, why=why)


def set_safeguards(
    engine: Engine,
    program_id: str,
    *,
    open_findings: bool,
    corrective_plan: bool,
    actor: str,
    why: str,
) -> Program:
    """Record the recipient agency's safeguard standing; open findings without a plan block it."""
    changes = {
        "safeguards.open_findings": open_findings,
        "safeguards.corrective_plan": corrective_plan,
    }
    return change_program(engine, program_id, changes, actor=actor, why=why)
