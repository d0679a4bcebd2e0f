"""Model files: versioned saving, loading the newest, defaults when none, unreadable files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from portcullis.matching import ModelStale, default_params, load_current_params
from portcullis.matching.params import LEVELS, ParamsUnreadable, read_params, save_params


def test_defaults_when_nothing_trained(tmp_path: Path) -> None:
    assert load_current_params(tmp_path / "match") == default_params()


def test_each_save_is_a_new_version_and_the_newest_is_current(tmp_path: Path) -> None:
    first = dataclasses.replace(default_params(), version="v1", prior_weight=-18.0)
    second = dataclasses.replace(default_params(), version="v2", prior_weight=-21.0)
    assert save_params(first, tmp_path).version == "v1"
    assert save_params(second, tmp_path).version == "v2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model-v1.json", "model-v2.json"]
    assert load_current_params(tmp_path) == second
    assert read_params(tmp_path / "model-v1.json") == first


def test_unreadable_file_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "model-v1.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ParamsUnreadable, match=r"model-v1\.json"):
        load_current_params(tmp_path)


def test_defaults_cover_every_level() -> None:
    params = default_params()
    for field, levels in LEVELS.items():
        for level in levels:
            assert isinstance(params.weight(field, level), float)


@pytest.mark.parametrize(
    ("field", "stronger", "weaker"),
    [
        pytest.param("given", "exact", "fuzzy", id="given"),
        pytest.param("surname", "exact", "token", id="surname"),
        pytest.param("dob", "exact", "near", id="dob"),
        pytest.param("dob", "slip", "near", id="dob-slip"),
        pytest.param("address", "same_street", "city", id="address-street"),
        pytest.param("address", "exact", "zip", id="address"),
    ],
)
def test_default_levels_are_ordered(field: str, stronger: str, weaker: str) -> None:
    params = default_params()
    assert (
        params.weight(field, stronger)
        > params.weight(field, weaker)
        > params.weight(field, "disagree")
    )


def test_a_programs_own_model_is_chosen_and_others_fall_back_to_the_base(tmp_path: Path) -> None:
    base = dataclasses.replace(default_params(), data_fingerprint="load-1", prior_weight=-18.0)
    learned = dataclasses.replace(base, program="P-ICE", prior_weight=-23.0)
    other = dataclasses.replace(base, program="P-OTHER", prior_weight=-25.0)
    save_params(base, tmp_path)
    saved = save_params(learned, tmp_path)
    save_params(other, tmp_path)
    assert load_current_params(tmp_path, "P-ICE", fingerprint="load-1") == saved
    assert load_current_params(tmp_path, "P-NEW", fingerprint="load-1").program == ""
    assert load_current_params(tmp_path, fingerprint="load-1").version == "v1"


def test_a_model_of_another_master_load_is_never_used(tmp_path: Path) -> None:
    old = dataclasses.replace(default_params(), data_fingerprint="load-1")
    save_params(old, tmp_path)
    save_params(dataclasses.replace(old, program="P-ICE"), tmp_path)
    with pytest.raises(ModelStale, match="portcullis match train"):
        load_current_params(tmp_path, "P-ICE", fingerprint="load-2")
    # A base model trained on the new load is used; the program's stale one is passed over.
    fresh = save_params(dataclasses.replace(old, data_fingerprint="load-2"), tmp_path)
    assert load_current_params(tmp_path, "P-ICE", fingerprint="load-2") == fresh


def test_a_model_without_a_level_the_engine_produces_never_decides(tmp_path: Path) -> None:
    """A model saved before a comparison level existed cannot weigh it: it is passed over."""
    current = dataclasses.replace(default_params(), data_fingerprint="load-1")
    m = {name: dict(rates) for name, rates in current.m.items()}
    del m["surname"]["former"]
    save_params(current, tmp_path)
    save_params(dataclasses.replace(current, m=m, program="P-ICE"), tmp_path)
    chosen = load_current_params(tmp_path, "P-ICE", fingerprint="load-1")
    assert chosen.version == "v1" and chosen.program == ""
    (tmp_path / "model-v1.json").unlink()
    with pytest.raises(ModelStale, match="comparison levels"):
        load_current_params(tmp_path, "P-ICE", fingerprint="load-1")
