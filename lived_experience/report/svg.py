"""Small self-contained SVG charts for the HTML report (no library, no script, no fetch)."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

from lived_experience.axes import nice_ticks, tick_label

BAR, GAP, LABEL_W, CHART_W = 18, 6, 300, 360


def _text(x: float, y: float, value: str, anchor: str = "start", size: int = 12) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-family="sans-serif">{html.escape(value)}</text>'
    )


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    title: str,
    colours: Sequence[str] | None = None,
    unit: str = "",
) -> str:
    """Horizontal bars, one per label, with the value at the end of each bar."""
    top = max(values) if values else 1.0
    top = top or 1.0
    height = 40 + len(labels) * (BAR + GAP)
    width = LABEL_W + CHART_W + 80
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(title)}">',
        _text(0, 16, title, size=14),
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 30 + i * (BAR + GAP)
        length = CHART_W * value / top
        colour = colours[i] if colours else "#1f6fb2"
        short = label if len(label) <= 45 else label[:44] + "…"
        parts += [
            _text(LABEL_W - 8, y + BAR - 5, short, "end"),
            f'<rect x="{LABEL_W}" y="{y}" width="{length:.1f}" height="{BAR}" fill="{colour}"/>',
            _text(LABEL_W + length + 4, y + BAR - 5, f"{value:g}{unit}"),
        ]
    parts.append("</svg>")
    return "".join(parts)


def interval_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float], Sequence[float], Sequence[float]]],
    title: str,
    unit: str = "%",
) -> str:
    """Dots with interval whiskers; ``series`` is (name, colour, values, lows, highs).

    NaN values (suppressed) are left out of the plot; their row shows "suppressed".
    """
    numbers = [
        v for _, _, *columns in series for column in columns for v in column if not math.isnan(v)
    ]
    ticks = nice_ticks(0.0, max(numbers) if numbers else 1.0, floor=0.0)
    if unit == "%":
        ticks = [t for t in ticks if t <= 100] or [0.0, 100.0]
    top = ticks[-1] or 1.0
    step = ticks[1] - ticks[0] if len(ticks) > 1 else top
    row = 2 * BAR
    height = 60 + len(labels) * row
    width = LABEL_W + CHART_W + 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(title)}">',
        _text(0, 16, title, size=14),
    ]
    for s, (name, colour, *_rest) in enumerate(series):
        x = LABEL_W + s * 160
        parts += [
            f'<circle cx="{x + 6}" cy="32" r="5" fill="{colour}"/>',
            _text(x + 16, 36, name),
        ]
    for i, label in enumerate(labels):
        y = 56 + i * row
        parts.append(
            _text(LABEL_W - 8, y + 4, label if len(label) <= 45 else label[:44] + "…", "end")
        )
        parts.append(
            f'<line x1="{LABEL_W}" y1="{y}" x2="{LABEL_W + CHART_W}" y2="{y}" stroke="#eee"/>'
        )
        shown = False
        for s, (_, colour, values, lows, highs) in enumerate(series):
            value, low, high = values[i], lows[i], highs[i]
            if math.isnan(value):
                continue
            shown = True
            offset = (s - (len(series) - 1) / 2) * 6
            x_low, x_high = (LABEL_W + CHART_W * v / top for v in (low, high))
            x_dot = LABEL_W + CHART_W * value / top
            parts += [
                f'<line x1="{x_low:.1f}" y1="{y + offset:.1f}" x2="{x_high:.1f}" '
                f'y2="{y + offset:.1f}" stroke="{colour}" stroke-width="2"/>',
                f'<circle cx="{x_dot:.1f}" cy="{y + offset:.1f}" r="4" fill="{colour}"/>',
            ]
        if not shown:
            parts.append(_text(LABEL_W + 4, y + 4, "suppressed (fewer than k)", size=11))
    axis_y = 56 + len(labels) * row - 10
    for tick_value in ticks:
        tick_x = LABEL_W + CHART_W * tick_value / top
        parts.append(
            _text(tick_x, axis_y + 4, f"{tick_label(tick_value, step)}{unit}", "middle", size=10)
        )
    parts.append("</svg>")
    return "".join(parts)
