"""One wording of a span of time for every page."""

from __future__ import annotations

import pytest

from portcullis.web.durations import duration_text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        pytest.param(-5, "0 s", id="negative"),
        pytest.param(42.4, "42 s", id="seconds"),
        pytest.param(125, "2 min 5 s", id="minutes"),
        pytest.param(3 * 3600 + 7 * 60 + 9, "3 h 7 min", id="hours"),
        pytest.param(2 * 86400 + 5 * 3600 + 59, "2 d 5 h", id="days"),
    ],
)
def test_a_span_reads_in_its_two_largest_units(seconds: float, text: str) -> None:
    assert duration_text(seconds) == text
