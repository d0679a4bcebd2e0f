"""Tests for the shared SVG bar charts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from portcullis.reports.charts import (
    LABEL_CHARS,
    Bar,
    ChartDataInvalidError,
    bar_lengths,
    render_bar_chart,
)

SVG = "{http://www.w3.org/2000/svg}"


def widths(svg: str) -> list[float]:
    return [float(rect.get("width", "")) for rect in ET.fromstring(svg).iter(f"{SVG}rect")]


def test_chart_is_well_formed_svg_with_title_and_description() -> None:
    svg = render_bar_chart("outcomes", "Items by outcome", "One bar per outcome.", [Bar("a", 1)])
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "outcomes-title outcomes-desc"
    assert root.find(f"{SVG}title").text == "Items by outcome"  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").text == "One bar per outcome."  # type: ignore[union-attr]


def test_bars_are_proportional_to_values() -> None:
    svg = render_bar_chart("c", "t", "d", [Bar("big", 40), Bar("half", 20), Bar("none", 0)])
    big, half, none = widths(svg)
    assert half == pytest.approx(big / 2, abs=0.1)
    assert none == 0


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param([2.0, 1.0], [100.0, 50.0], id="largest-fills"),
        pytest.param([0.0, 0.0], [0.0, 0.0], id="all-zero"),
        pytest.param([], [], id="empty"),
    ],
)
def test_bar_lengths(values: list[float], expected: list[float]) -> None:
    assert bar_lengths(values, 100.0) == expected


def test_values_and_labels_are_written_out() -> None:
    svg = render_bar_chart("s", "t", "d", [Bar("matching", 1.5)], value_format="{:,.2f} s")
    assert ">matching</text>" in svg and ">1.50 s</text>" in svg


def test_long_labels_are_shortened_but_kept_whole_in_the_tooltip() -> None:
    label = "x" * (LABEL_CHARS + 10)
    svg = render_bar_chart("c", "t", "d", [Bar(label, 1)])
    texts = [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert texts[0].endswith("…") and len(texts[0]) == LABEL_CHARS
    assert f"<title>{label}: 1</title>" in svg


def test_text_from_data_is_escaped() -> None:
    svg = render_bar_chart("c", "<t>", "d & e", [Bar("<script>x</script>", 1)])
    assert "<script>" not in svg
    ET.fromstring(svg)


def test_no_bars_says_so() -> None:
    svg = render_bar_chart("c", "t", "d", [])
    assert "No data" in svg and "<rect" not in svg


@pytest.mark.parametrize(
    "value",
    [pytest.param(-1.0, id="negative"), pytest.param(float("nan"), id="nan")],
)
def test_values_that_are_not_counts_are_refused(value: float) -> None:
    with pytest.raises(ChartDataInvalidError):
        render_bar_chart("c", "t", "d", [Bar("a", value)])


def test_chart_ids_must_be_slugs() -> None:
    with pytest.raises(ChartDataInvalidError):
        render_bar_chart('x" onload="alert(1)', "t", "d", [])


def test_no_colour_or_script_comes_from_outside() -> None:
    svg = render_bar_chart("c", "t", "d", [Bar("a", 1)])
    assert not re.search(r"<script|href=", svg)
