from __future__ import annotations

from portcullis.programs import Program
from portcullis.programs.history import apply_changes, diff_programs, flatten


def test_flatten_keeps_lists_whole() -> None:
    assert flatten({"a": {"b": 1, "c": [1, 2]}, "d": None}) == {"a.b": 1, "a.c": [1, 2], "d": None}


def test_apply_changes_sets_dotted_keys_without_touching_the_original() -> None:
    original = {"limits": {"x": 1, "y": 2}}
    changed = apply_changes(original, {"limits.x": 5, "new.z": 3})
    assert changed == {"limits": {"x": 5, "y": 2}, "new": {"z": 3}}
    assert original == {"limits": {"x": 1, "y": 2}}


def test_diff_lists_only_what_changed(program: Program) -> None:
    after = program.model_copy(update={"address_must_agree": True, "version": 7})
    assert diff_programs(program, after) == {"address_must_agree": (False, True)}


def test_a_first_install_lists_every_key(program: Program) -> None:
    what = diff_programs(None, program)
    assert what["id"] == (None, program.id)
    assert "version" not in what
