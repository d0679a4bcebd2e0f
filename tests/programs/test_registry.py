from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from portcullis.programs import (
    ChangeUnexplained,
    Program,
    ProgramInvalid,
    ProgramNotFound,
    change_program,
    get_program,
    get_program_version,
    install_program,
    list_programs,
    program_history,
)
from portcullis.programs.tables import program_versions


def test_an_installed_program_reads_back(engine: Engine, program: Program) -> None:
    install_program(engine, program, actor="ops", why="initial agreement")
    assert get_program(engine, program.id) == program
    assert list_programs(engine) == [program]


def test_installing_an_existing_id_adds_a_version(engine: Engine, program: Program) -> None:
    install_program(engine, program, actor="ops", why="initial")
    second = install_program(
        engine, program.model_copy(update={"address_must_agree": True}), actor="ops", why="renewal"
    )
    assert second.version == program.version + 1
    assert get_program(engine, program.id).address_must_agree is True
    assert [p.version for p in list_programs(engine)] == [second.version]


def test_installing_the_same_program_again_records_nothing(
    engine: Engine, program: Program
) -> None:
    install_program(engine, program, actor="ops", why="initial")
    assert install_program(engine, program, actor="ops", why="again") == program
    assert len(program_history(engine, program.id)) == 1


def test_a_change_is_a_new_version_with_its_account(engine: Engine, program: Program) -> None:
    install_program(engine, program, actor="ops", why="initial")
    changed = change_program(
        engine, program.id, {"limits.max_batch_items": 100}, actor="alice", why="court finding"
    )
    assert (changed.version, changed.limits.max_batch_items) == (2, 100)
    assert get_program_version(engine, program.id, 1).limits.max_batch_items == 5000
    last = program_history(engine, program.id)[-1]
    assert (last.version, last.actor, last.why) == (2, "alice", "court finding")
    assert last.what == {"limits.max_batch_items": (5000, 100)}


def test_an_unlawful_change_is_refused_and_not_stored(engine: Engine, program: Program) -> None:
    install_program(engine, program, actor="ops", why="initial")
    with pytest.raises(ProgramInvalid, match="civil"):
        change_program(
            engine,
            program.id,
            {"allowed_statutes": ["8 U.S.C. 1227(a)(1)(B)"]},
            actor="ops",
            why="widen",
        )
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(program_versions)).scalar_one() == 1
    assert len(program_history(engine, program.id)) == 1


@pytest.mark.parametrize(
    ("changes", "actor", "why", "error"),
    [
        pytest.param({"version": 9}, "ops", "x", ProgramInvalid, id="version"),
        pytest.param({"id": "other"}, "ops", "x", ProgramInvalid, id="id"),
        pytest.param({"address_must_agree": True}, " ", "x", ChangeUnexplained, id="no-actor"),
        pytest.param({"address_must_agree": True}, "ops", "", ChangeUnexplained, id="no-why"),
    ],
)
def test_changes_that_are_refused(
    engine: Engine,
    program: Program,
    changes: dict[str, object],
    actor: str,
    why: str,
    error: type[Exception],
) -> None:
    install_program(engine, program, actor="ops", why="initial")
    with pytest.raises(error):
        change_program(engine, program.id, changes, actor=actor, why=why)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda e: get_program(e, "absent"), id="get"),
        pytest.param(lambda e: get_program_version(e, "absent", 1), id="get-version"),
        pytest.param(lambda e: program_history(e, "absent"), id="history"),
        pytest.param(lambda e: change_program(e, "absent", {}, actor="a", why="b"), id="change"),
    ],
)
def test_an_unknown_program_is_named(engine: Engine, call: object) -> None:
    with pytest.raises(ProgramNotFound, match="absent"):
        call(engine)  # type: ignore[operator]
