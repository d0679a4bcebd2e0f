"""Horizontal bar charts as accessible inline SVG, shared by every HTML report."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from portcullis.errors import PortcullisError

WIDTH = 720
LABEL_WIDTH = 260
VALUE_WIDTH = 90
ROW_HEIGHT = 28
BAR_HEIGHT = 18
PADDING = 8
LABEL_CHARS = 36
# Dark blue on white and near-black text: both above the WCAG AA contrast ratio of 4.5:1.
BAR_COLOUR = "#1f5f8b"
TEXT_COLOUR = "#1b1b1b"
AXIS_COLOUR = "#5a5a5a"
_CHART_ID = re.compile(r"[a-z][a-z0-9-]*")


class ChartDataInvalidError(PortcullisError):
    """A chart was given a value that cannot be drawn as a bar (negative or not a number)."""


@dataclass(frozen=True, slots=True)
class Bar:
    """One labelled bar of a chart."""

    label: str
    value: float


def render_bar_chart(
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    *,
    value_format: str = "{:,.0f}",
) -> Markup:
    """Return an SVG bar chart with a title and description that screen readers announce."""
    if not _CHART_ID.fullmatch(chart_id):
        raise ChartDataInvalidError(f"chart id {chart_id!r} is not a lower-case slug")
    for bar in bars:
        if not math.isfinite(bar.value) or bar.value < 0:
            raise ChartDataInvalidError(f"bar {bar.label!r} has value {bar.value}, not a count")
    height = PADDING * 2 + ROW_HEIGHT * max(len(bars), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        'font-family="sans-serif" font-size="13">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    if not bars:
        parts.append(f'<text x="{PADDING}" y="{PADDING + 18}" fill="{TEXT_COLOUR}">No data</text>')
    else:
        parts.extend(_draw_bars(bars, value_format))
        parts.append(
            f'<line x1="{LABEL_WIDTH}" y1="{PADDING}" x2="{LABEL_WIDTH}" y2="{height - PADDING}" '
            f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
        )
    parts.append("</svg>")
    return Markup("\n".join(parts))


def bar_lengths(values: Sequence[float], span: float) -> list[float]:
    """Scale values so that the largest fills `span`; all-zero values stay zero."""
    largest = max(values, default=0.0)
    if largest <= 0:
        return [0.0 for _ in values]
    return [span * value / largest for value in values]


def _draw_bars(bars: Sequence[Bar], value_format: str) -> list[str]:
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH - PADDING
    lengths = bar_lengths([bar.value for bar in bars], span)
    drawn: list[str] = []
    for row, (bar, length) in enumerate(zip(bars, lengths, strict=True)):
        top = PADDING + row * ROW_HEIGHT
        middle = top + ROW_HEIGHT / 2
        label = bar.label if len(bar.label) <= LABEL_CHARS else bar.label[: LABEL_CHARS - 1] + "…"
        value = value_format.format(bar.value)
        drawn.append(
            f"<g><title>{escape(bar.label)}: {escape(value)}</title>"
            f'<text x="{LABEL_WIDTH - PADDING}" y="{middle:.1f}" text-anchor="end" '
            f'dominant-baseline="middle" fill="{TEXT_COLOUR}">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{top + (ROW_HEIGHT - BAR_HEIGHT) / 2:.1f}" '
            f'width="{length:.1f}" height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>'
            f'<text x="{LABEL_WIDTH + length + PADDING:.1f}" y="{middle:.1f}" '
            f'dominant-baseline="middle" fill="{TEXT_COLOUR}">{escape(value)}</text></g>'
        )
    return drawn
