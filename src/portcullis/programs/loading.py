"""Read program files (TOML) into validated programs, with errors that name the offending key."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from portcullis.errors import PortcullisError
from portcullis.programs.program import Program

DEFAULT_PROGRAM_FILE = "ice-address-verification.toml"
DEMO_SIGNER_KEY_ID = "demo-signer"


class ProgramInvalid(PortcullisError):
    """A program file or change does not describe a lawful, consistent program."""


def validate_program(document: Mapping[str, Any], *, source: str) -> Program:
    """Build a Program from a parsed document, naming the first offending key on failure."""
    try:
        return Program.model_validate(dict(document))
    except ValidationError as exc:
        raise ProgramInvalid(f"{source}: {describe_validation_error(exc)}") from exc


def describe_validation_error(exc: ValidationError) -> str:
    """Return one line naming the first invalid key and why, plus how many more there are."""
    errors = exc.errors()
    first = errors[0]
    key = ".".join(str(part) for part in first["loc"]) or "(program)"
    message = str(first["msg"]).removeprefix("Value error, ")
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{key}: {message}{more}"


def read_program_document(path: Path) -> dict[str, Any]:
    """Parse a program file's TOML without validating it."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ProgramInvalid(f"cannot read program file {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProgramInvalid(f"{path}: not valid TOML: {exc}") from exc


def load_program_file(path: Path) -> Program:
    """Read and validate one program file."""
    return validate_program(read_program_document(path), source=str(path))


def default_program(signer_public_key_b64: str, witnesses: Sequence[tuple[str, str]]) -> Program:
    """Return the packaged ICE program with the demo agency's signer and the given witnesses."""
    text = resources.files("portcullis.programs").joinpath(DEFAULT_PROGRAM_FILE).read_text()
    document = tomllib.loads(text)
    document["signers"] = [
        {
            "key_id": DEMO_SIGNER_KEY_ID,
            "public_key": signer_public_key_b64,
            "name": "Demo Signer",
            "title": "Director, U.S. Immigration and Customs Enforcement (demo)",
            "authority": "component_head",
            "delegation": "Delegation by the Secretary of Homeland Security (demo)",
        }
    ]
    document["witnesses"] = [{"name": name, "public_key": key} for name, key in witnesses]
    document["witness_quorum"] = 1
    return validate_program(document, source=DEFAULT_PROGRAM_FILE)
