"""Scatter charts of an indicator against a theme's prevalence, one point per organisation.

Plain, self-contained SVG (no plotting library, no scripts, nothing fetched), so the charts
open anywhere, embed in HTML reports and print cleanly.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from lived_experience.axes import nice_ticks, tick_label
from lived_experience.output import write_text_atomic

WIDTH, HEIGHT, MARGIN = 520, 380, 60
INDICATOR_LABELS = {
    1: "BME share of the workforce (%)",
    2: "relative likelihood, appointment from shortlisting",
    3: "relative likelihood, entering disciplinary",
    4: "relative likelihood, non-mandatory training",
    5: "BME staff harassed by patients or public (%)",
    6: "BME staff harassed by staff (%)",
    7: "BME staff believing in equal opportunities (%)",
    8: "BME staff discriminated against (%)",
    9: "board vs workforce BME share (pp)",
}


PERCENT_INDICATORS = {1, 5, 6, 7, 8}


def _axis(values: pd.Series, percent: bool) -> list[float]:
    low, high = float(values.min()), float(values.max())
    return nice_ticks(low, high, floor=0.0 if percent else None, ceiling=100.0 if percent else None)


def _position(value: float, ticks: list[float], low_px: float, high_px: float) -> float:
    return low_px + (value - ticks[0]) / ((ticks[-1] - ticks[0]) or 1.0) * (high_px - low_px)


def scatter_svg(
    table: pd.DataFrame,
    code: str,
    indicator: int,
    correlation: pd.Series | None = None,
    code_label: str | None = None,
) -> str:
    """SVG of ``indicator`` (y) against the ethnic minority prevalence of ``code`` (x).

    ``code_label`` is the code's label from the codebook (the id is shown without it).
    Both axes have round ticks with grid lines; percentage axes stay within 0-100.
    """
    part = table[(table["code"] == code) & (table["indicator"] == indicator)].dropna(
        subset=["minority_prevalence", "indicator_value"]
    )
    label = code_label or code
    indicator_words = INDICATOR_LABELS.get(indicator, f"WRES indicator {indicator}")
    title = f"{label}: WRES indicator {indicator}"
    if part.empty:
        body = (
            f"<text x='{WIDTH / 2}' y='{HEIGHT / 2}' text-anchor='middle'>No organisation "
            "has enough respondents to plot (groups under k are suppressed).</text>"
        )
    else:
        left, right, bottom, top = MARGIN, WIDTH - 20, HEIGHT - MARGIN, 40
        x_ticks = _axis(part["minority_prevalence"], percent=True)
        y_ticks = _axis(part["indicator_value"], percent=indicator in PERCENT_INDICATORS)
        x_step = x_ticks[1] - x_ticks[0] if len(x_ticks) > 1 else 1.0
        y_step = y_ticks[1] - y_ticks[0] if len(y_ticks) > 1 else 1.0
        grid = []
        for tick in x_ticks:
            x = _position(tick, x_ticks, left, right)
            grid.append(
                f"<line x1='{x:.1f}' y1='{top}' x2='{x:.1f}' y2='{bottom}' stroke='#e5e5e5'/>"
                f"<text x='{x:.1f}' y='{bottom + 14}' font-size='11' text-anchor='middle'>"
                f"{tick_label(tick, x_step)}</text>"
            )
        for tick in y_ticks:
            y = _position(tick, y_ticks, bottom, top)
            grid.append(
                f"<line x1='{left}' y1='{y:.1f}' x2='{right}' y2='{y:.1f}' stroke='#e5e5e5'/>"
                f"<text x='{left - 6}' y='{y + 4:.1f}' font-size='11' text-anchor='end'>"
                f"{tick_label(tick, y_step)}</text>"
            )
        points = "".join(
            f"<circle cx='{_position(px, x_ticks, left, right):.1f}' "
            f"cy='{_position(py, y_ticks, bottom, top):.1f}' r='4' fill='#1f6fb2' "
            f"fill-opacity='0.75'><title>{html.escape(str(org))}: {px:.1f}% / {py:.2f}"
            "</title></circle>"
            for org, px, py in zip(
                part["org_code"],
                part["minority_prevalence"],
                part["indicator_value"],
                strict=True,
            )
        )
        axes = (
            "".join(grid)
            + f"<line x1='{left}' y1='{bottom}' x2='{right}' y2='{bottom}' stroke='#333'/>"
            f"<line x1='{left}' y1='{top}' x2='{left}' y2='{bottom}' stroke='#333'/>"
            f"<text x='{(WIDTH + MARGIN) / 2}' y='{HEIGHT - 18}' font-size='12' "
            f"text-anchor='middle'>Ethnic minority respondents raising it (%)</text>"
            f"<text transform='translate(16 {HEIGHT / 2}) rotate(-90)' font-size='12' "
            f"text-anchor='middle'>{html.escape(indicator_words)}</text>"
        )
        body = axes + points
    subtitle = indicator_words
    if correlation is not None and not pd.isna(correlation.get("pearson_r")):
        subtitle += (
            f"; r = {correlation['pearson_r']:+.2f} [{correlation['ci_low']:+.2f}, "
            f"{correlation['ci_high']:+.2f}], {int(correlation['organisations'])} "
            "organisations"
        )
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{HEIGHT}' "
        f"viewBox='0 0 {WIDTH} {HEIGHT}' font-family='sans-serif' role='img'>"
        f"<title>{html.escape(title)}</title><rect width='100%' height='100%' fill='white'/>"
        f"<text x='{MARGIN}' y='16' font-size='13' font-weight='bold'>{html.escape(title)}</text>"
        f"<text x='{MARGIN}' y='30' font-size='11' fill='#555'>{html.escape(subtitle)}</text>"
        f"{body}</svg>\n"
    )


def write_crossref_charts(
    table: pd.DataFrame,
    correlations: pd.DataFrame,
    folder: str | Path,
    code_labels: dict[str, str] | None = None,
) -> list[Path]:
    """One SVG per (code, indicator) pair in ``correlations``; returns the files written.

    ``code_labels`` (code id -> label, e.g. ``{c.id: c.label for c in codebook.codes}``) puts
    the codebook's words in titles instead of code ids.
    """
    code_labels = code_labels or {}
    folder = Path(folder)
    written = []
    for row in correlations.itertuples(index=False):
        path = folder / f"{row.code}_indicator_{row.indicator}.svg"
        write_text_atomic(
            path,
            scatter_svg(
                table,
                row.code,
                int(row.indicator),
                pd.Series(row._asdict()),
                code_labels.get(str(row.code)),
            ),
        )
        written.append(path)
    return written
