"""A witness's state file: compare-and-set moves, a damaged file refused, each log on its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from portcullis.ledger.witness_state import (
    STATE_FILE,
    WitnessState,
    WitnessStateRaced,
    WitnessStateUnreadable,
)

ROOT_A, ROOT_B = bytes(range(32)), bytes(32)


def test_a_new_home_remembers_nothing_then_each_log_apart(tmp_path: Path) -> None:
    state = WitnessState(tmp_path / "home")
    assert state.latest("log.a") is None
    state.advance("log.a", None, 3, ROOT_A)
    state.advance("log.b", None, 9, ROOT_B)
    state.advance("log.a", (3, ROOT_A), 5, ROOT_B)
    again = WitnessState(tmp_path / "home")  # another process reading the same home
    assert again.logs() == {"log.a": (5, ROOT_B), "log.b": (9, ROOT_B)}


def test_a_move_from_a_stale_state_is_refused(tmp_path: Path) -> None:
    first, second = WitnessState(tmp_path), WitnessState(tmp_path)
    first.advance("log", None, 3, ROOT_A)
    second.advance("log", (3, ROOT_A), 4, ROOT_B)
    with pytest.raises(WitnessStateRaced):
        first.advance("log", (3, ROOT_A), 4, ROOT_A)
    with pytest.raises(WitnessStateRaced):
        first.advance("log", None, 1, ROOT_A)
    assert first.latest("log") == (4, ROOT_B)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("not json", id="not-json"),
        pytest.param('{"format": "other", "logs": {}}', id="other-format"),
        pytest.param('{"format": "portcullis-witness-state/1", "logs": []}', id="logs-not-object"),
        pytest.param(
            '{"format": "portcullis-witness-state/1", "logs": {"log": {"size": "3", "root": ""}}}',
            id="bad-head",
        ),
    ],
)
def test_a_damaged_state_file_is_refused_not_forgotten(tmp_path: Path, text: str) -> None:
    (tmp_path / STATE_FILE).write_text(text)
    state = WitnessState(tmp_path)
    with pytest.raises(WitnessStateUnreadable):
        state.logs()
    with pytest.raises(WitnessStateUnreadable):
        state.advance("log", None, 1, ROOT_A)
