from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from portcullis.programs import (
    Program,
    get_program,
    install_program,
    program_history,
    resume_program,
    set_safeguards,
    suspend_program,
)


def test_suspension_and_resumption_are_recorded(engine: Engine, program: Program) -> None:
    install_program(engine, program, actor="ops", why="initial")
    suspended = suspend_program(
        engine,
        program.id,
        order_reference="No. 25-cv-4242 (D.D.C.)",
        actor="counsel",
        why="stay ordered",
        since=dt.date(2026, 2, 26),
    )
    assert suspended.status == "suspended"
    assert suspended.suspension is not None
    assert suspended.suspension.order_reference == "No. 25-cv-4242 (D.D.C.)"
    resumed = resume_program(engine, program.id, actor="counsel", why="stay lifted")
    assert resumed.status == "active"
    assert get_program(engine, program.id).suspension is None
    whys = [change.why for change in program_history(engine, program.id)]
    assert whys == ["initial", "stay ordered", "stay lifted"]


def test_open_safeguards_block_until_a_plan_exists(engine: Engine, program: Program) -> None:
    install_program(engine, program, actor="ops", why="initial")
    blocked = set_safeguards(
        engine, program.id, open_findings=True, corrective_plan=False, actor="safe", why="review"
    )
    assert blocked.status == "blocked"
    planned = set_safeguards(
        engine, program.id, open_findings=True, corrective_plan=True, actor="safe", why="plan"
    )
    assert planned.status == "active"
    assert program_history(engine, program.id)[-1].what == {
        "safeguards.corrective_plan": (False, True)
    }


def test_resuming_an_active_program_records_nothing(engine: Engine, program: Program) -> None:
    install_program(engine, program, actor="ops", why="initial")
    assert resume_program(engine, program.id, actor="ops", why="no-op") == program
    assert len(program_history(engine, program.id)) == 1
