from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from portcullis.checks import (
    REASONS,
    ExclusionInvalid,
    add_exclusion,
    load_exclusions,
    outward_codes,
    screen_taxpayer,
)
from portcullis.store.database import create_schema, open_engine


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = open_engine(f"sqlite:///{tmp_path / 'state.sqlite'}")
    create_schema(engine)
    return engine


def test_an_excluded_taxpayer_is_withheld_silently() -> None:
    found = screen_taxpayer("123456789", frozenset({"123456789"}))
    assert found is not None
    assert found.code == "withheld"
    assert REASONS["withheld"].silent
    assert "informant" not in found.message
    assert "investigation" not in found.message
    assert outward_codes([found]) == ()


def test_other_taxpayers_pass() -> None:
    assert screen_taxpayer("123456780", frozenset({"123456789"})) is None


def test_exclusions_are_stored_once(engine: Engine) -> None:
    add_exclusion(engine, "123456789", "informant", actor="ci", why="source protection")
    add_exclusion(engine, "123456789", "tax_investigation", actor="ci", why="again")
    add_exclusion(engine, "987654321", "tax_investigation", actor="ci", why="open case")
    assert load_exclusions(engine) == frozenset({"123456789", "987654321"})


@pytest.mark.parametrize(
    ("tin", "category", "actor", "why"),
    [
        pytest.param("12345678", "informant", "ci", "x", id="short-tin"),
        pytest.param("123-45-6789", "informant", "ci", "x", id="dashes"),
        pytest.param("123456789", "curiosity", "ci", "x", id="category"),
        pytest.param("123456789", "informant", "", "x", id="no-actor"),
        pytest.param("123456789", "informant", "ci", " ", id="no-why"),
    ],
)
def test_an_invalid_exclusion_is_refused(
    engine: Engine, tin: str, category: str, actor: str, why: str
) -> None:
    with pytest.raises(ExclusionInvalid):
        add_exclusion(engine, tin, category, actor=actor, why=why)  # type: ignore[arg-type]
    assert load_exclusions(engine) == frozenset()
