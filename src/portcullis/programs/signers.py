"""Rotate an agency signer's key: the new key added, the old one retired from a day, one version."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from portcullis.programs.loading import ProgramInvalid
from portcullis.programs.program import Program
from portcullis.programs.registry import change_program, get_program


def rotate_signer(
    engine: Engine,
    program_id: str,
    *,
    key_id: str,
    new_key_id: str,
    new_public_key: str,
    retire_from: dt.date,
    actor: str,
    why: str,
    today: dt.date | None = None,
) -> Program:
    """Give the official holding `key_id` a new key and retire the old one from `retire_from`."""
    program = get_program(engine, program_id)
    old = program.signer(key_id)
    if old is None:
        raise ProgramInvalid(f"program {program_id} has no signer key {key_id!r}")
    if old.retired_from is not None:
        raise ProgramInvalid(f"signer key {key_id!r} is already retired from {old.retired_from}")
    if program.signer(new_key_id) is not None:
        raise ProgramInvalid(f"program {program_id} already has a signer key {new_key_id!r}")
    reused = next((s for s in program.signers if s.public_key == new_public_key.strip()), None)
    if reused is not None:
        raise ProgramInvalid(f"the new public key is already registered as {reused.key_id!r}")
    day = today or dt.datetime.now(dt.UTC).date()
    if retire_from < day:
        # Requests this key signed since that day were accepted: the record would contradict them.
        raise ProgramInvalid(f"retire-from {retire_from} is before today, {day}")
    signers = [
        {**signer.model_dump(mode="json"), "retired_from": retire_from.isoformat()}
        if signer.key_id == key_id
        else signer.model_dump(mode="json")
        for signer in program.signers
    ]
    replacement = {**old.model_dump(mode="json"), "key_id": new_key_id}
    signers.append({**replacement, "public_key": new_public_key.strip(), "retired_from": None})
    return change_program(
        engine,
        program_id,
        {"signers": signers},
        actor=actor,
        why=why,
        expected_version=program.version,
    )
