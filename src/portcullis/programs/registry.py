"""The program registry in the state database: install, read, change and list programs."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from portcullis.errors import PortcullisError
from portcullis.programs.history import ProgramChange, apply_changes, diff_programs
from portcullis.programs.loading import ProgramInvalid, validate_program
from portcullis.programs.program import Program
from portcullis.programs.tables import program_changes, program_versions

# Keys the registry owns: a change names what it alters, never which version it becomes.
_RESERVED_KEYS = frozenset({"id", "version"})


class ProgramNotFound(PortcullisError):
    """No program with this id is registered."""


class ProgramChangedConcurrently(PortcullisError):
    """Another change to the same program was recorded first."""


class ChangeUnexplained(PortcullisError):
    """A program change lacks the actor or the reason that must be recorded with it."""


def install_program(engine: Engine, program: Program, *, actor: str, why: str) -> Program:
    """Register `program`; if its id exists and it differs, store it as the next version."""
    _require_account(actor, why)
    with engine.begin() as conn:
        before = _latest(conn, program.id)
        version = before.version + 1 if before is not None else program.version
        stored = program.model_copy(update={"version": version})
        if before is not None and not diff_programs(before, stored):
            return before  # loading the same agreement again changes nothing, so records nothing
        _store(conn, before, stored, actor=actor, why=why)
    return stored


def get_program(engine: Engine, program_id: str) -> Program:
    """Return the current version of a program."""
    with engine.connect() as conn:
        program = _latest(conn, program_id)
    if program is None:
        raise ProgramNotFound(f"no program {program_id!r} is registered")
    return program


def get_program_version(engine: Engine, program_id: str, version: int) -> Program:
    """Return one stored version of a program, as it was when it was in force."""
    query = select(program_versions.c.document).where(
        program_versions.c.program_id == program_id, program_versions.c.version == version
    )
    with engine.connect() as conn:
        document = conn.execute(query).scalar_one_or_none()
    if document is None:
        raise ProgramNotFound(f"no version {version} of program {program_id!r}")
    return Program.model_validate_json(document)


def list_programs(engine: Engine) -> list[Program]:
    """Return the current version of every registered program, by id."""
    latest = (
        select(program_versions.c.program_id, func.max(program_versions.c.version).label("v"))
        .group_by(program_versions.c.program_id)
        .subquery()
    )
    query = (
        select(program_versions.c.document)
        .join(
            latest,
            (program_versions.c.program_id == latest.c.program_id)
            & (program_versions.c.version == latest.c.v),
        )
        .order_by(program_versions.c.program_id)
    )
    with engine.connect() as conn:
        return [Program.model_validate_json(doc) for doc in conn.execute(query).scalars()]


def change_program(
    engine: Engine,
    program_id: str,
    changes: Mapping[str, object],
    *,
    actor: str,
    why: str,
    expected_version: int | None = None,
) -> Program:
    """Apply dotted-key changes as a new version (of `expected_version`, if given), recorded."""
    _require_account(actor, why)
    reserved = sorted(_RESERVED_KEYS & set(changes))
    if reserved:
        raise ProgramInvalid(f"{', '.join(reserved)} cannot be changed")
    with engine.begin() as conn:
        before = _latest(conn, program_id)
        if before is None:
            raise ProgramNotFound(f"no program {program_id!r} is registered")
        if expected_version is not None and before.version != expected_version:
            # The changes were computed from an earlier version: applying them could undo another.
            raise ProgramChangedConcurrently(
                f"program {program_id!r} is at version {before.version}, not {expected_version};"
                " retry"
            )
        document = apply_changes(before.model_dump(mode="json"), changes)
        document["version"] = before.version + 1
        after = validate_program(document, source=f"change to {program_id}")
        if not diff_programs(before, after):
            return before  # e.g. resuming a program that is not suspended: nothing to record
        _store(conn, before, after, actor=actor, why=why)
    return after


def program_history(engine: Engine, program_id: str) -> list[ProgramChange]:
    """Return every recorded change to a program, oldest first."""
    query = (
        select(program_changes)
        .where(program_changes.c.program_id == program_id)
        .order_by(program_changes.c.id)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    if not rows:
        raise ProgramNotFound(f"no program {program_id!r} is registered")
    return [
        ProgramChange(
            program_id=row["program_id"],
            version=row["version"],
            actor=row["actor"],
            changed_at=row["changed_at"],
            why=row["why"],
            what={key: (old, new) for key, (old, new) in json.loads(row["what"]).items()},
        )
        for row in rows
    ]


def _latest(conn: Connection, program_id: str) -> Program | None:
    query = (
        select(program_versions.c.document)
        .where(program_versions.c.program_id == program_id)
        .order_by(program_versions.c.version.desc())
        .limit(1)
    )
    document = conn.execute(query).scalar_one_or_none()
    return Program.model_validate_json(document) if document is not None else None


def _store(
    conn: Connection, before: Program | None, after: Program, *, actor: str, why: str
) -> None:
    now = datetime.now(UTC)
    what = diff_programs(before, after)
    try:
        conn.execute(
            insert(program_versions).values(
                program_id=after.id,
                version=after.version,
                document=after.model_dump_json(),
                created_at=now,
            )
        )
    except IntegrityError as exc:
        raise ProgramChangedConcurrently(
            f"program {after.id!r} version {after.version} was recorded by another change; retry"
        ) from exc
    conn.execute(
        insert(program_changes).values(
            program_id=after.id,
            version=after.version,
            actor=actor,
            changed_at=now,
            why=why,
            what=json.dumps(what),
        )
    )


def _require_account(actor: str, why: str) -> None:
    if not actor.strip():
        raise ChangeUnexplained("a program change must name who made it")
    if not why.strip():
        raise ChangeUnexplained("a program change must say why")
