"""What changed between two versions of a program, as dotted keys with before and after values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from portcullis.programs.program import Program


@dataclass(frozen=True, slots=True)
class ProgramChange:
    """One recorded change to a program: the version it produced, who, when, why and what."""

    program_id: str
    version: int
    actor: str
    changed_at: datetime
    why: str
    what: Mapping[str, tuple[object, object]]


def flatten(document: Mapping[str, Any], prefix: str = "") -> dict[str, object]:
    """Flatten nested tables into dotted keys; lists stay whole values."""
    flat: dict[str, object] = {}
    for key, value in document.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def diff_programs(before: Program | None, after: Program) -> dict[str, tuple[object, object]]:
    """Return every dotted key whose value differs, with its old and new value."""
    old = flatten(before.model_dump(mode="json")) if before is not None else {}
    new = flatten(after.model_dump(mode="json"))
    return {
        key: (old.get(key), new.get(key))
        for key in sorted(old.keys() | new.keys())
        if key != "version" and old.get(key) != new.get(key)
    }


def apply_changes(document: Mapping[str, Any], changes: Mapping[str, object]) -> dict[str, Any]:
    """Return a copy of `document` with each dotted key set to its new value."""
    result: dict[str, Any] = _deep_copy(document)
    for dotted, value in changes.items():
        *parents, leaf = dotted.split(".")
        target = result
        for part in parents:
            child = target.get(part)
            if not isinstance(child, dict):
                child = {}
                target[part] = child
            target = child
        target[leaf] = value
    return result


def _deep_copy(document: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: _deep_copy(value) if isinstance(value, Mapping) else value
        for key, value in document.items()
    }
