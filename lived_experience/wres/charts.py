"""Scatter charts of an indicator against a theme's prevalence, one point per organisation.

Plain, self-contained SVG (no plotting library, no scripts, nothing fetched), so the charts
open anywhere, embed in HTML reports and print cleanly.
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import pandas as pd

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


def _scale(values: pd.Series, low_px: float, high_px: float) -> tuple[float, float, list[float]]:
    low, high = float(values.min()), float(values.max())
    if math.isclose(low, high):
        low, high = low - 1, high + 1
    pad = (high - low) * 0.05
    low, high = low - pad, high + pad
    return low, high, [low_px + (v - low) / (high - low) * (high_px - low_px) for v in values]


def scatter_svg(
    table: pd.DataFrame, code: str, indicator: int, correlation: pd.Series | None = None
) -> str:
    """SVG of ``indicator`` (y) against the ethnic minority prevalence of ``code`` (x)."""
    part = table[(table["code"] == code) & (table["indicator"] == indicator)].dropna(
        subset=["minority_prevalence", "indicator_value"]
    )
    title = f"{code} vs WRES indicator {indicator}"
    if part.empty:
        body = (
            f"<text x='{WIDTH / 2}' y='{HEIGHT / 2}' text-anchor='middle'>No organisation "
            "has enough respondents to plot (groups under k are suppressed).</text>"
        )
    else:
        x_low, x_high, xs = _scale(part["minority_prevalence"], MARGIN, WIDTH - 20)
        y_low, y_high, ys = _scale(part["indicator_value"], HEIGHT - MARGIN, 30)
        points = "".join(
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='4' fill='#1f6fb2' fill-opacity='0.75'>"
            f"<title>{html.escape(str(org))}: {px:.1f}% / {py:.2f}</title></circle>"
            for x, y, org, px, py in zip(
                xs,
                ys,
                part["org_code"],
                part["minority_prevalence"],
                part["indicator_value"],
                strict=True,
            )
        )
        axes = (
            f"<line x1='{MARGIN}' y1='{HEIGHT - MARGIN}' x2='{WIDTH - 20}' y2='{HEIGHT - MARGIN}' "
            "stroke='#333'/>"
            f"<line x1='{MARGIN}' y1='30' x2='{MARGIN}' y2='{HEIGHT - MARGIN}' stroke='#333'/>"
            f"<text x='{MARGIN}' y='{HEIGHT - MARGIN + 16}' font-size='11'>{x_low:.1f}</text>"
            f"<text x='{WIDTH - 20}' y='{HEIGHT - MARGIN + 16}' font-size='11' "
            f"text-anchor='end'>{x_high:.1f}</text>"
            f"<text x='{MARGIN - 6}' y='{HEIGHT - MARGIN}' font-size='11' "
            f"text-anchor='end'>{y_low:.1f}</text>"
            f"<text x='{MARGIN - 6}' y='36' font-size='11' text-anchor='end'>{y_high:.1f}</text>"
            f"<text x='{(WIDTH + MARGIN) / 2}' y='{HEIGHT - 18}' font-size='12' "
            f"text-anchor='middle'>ethnic minority respondents raising {html.escape(code)} (%)"
            "</text>"
            f"<text transform='translate(16 {HEIGHT / 2}) rotate(-90)' font-size='12' "
            f"text-anchor='middle'>{html.escape(INDICATOR_LABELS.get(indicator, ''))}</text>"
        )
        body = axes + points
    subtitle = ""
    if correlation is not None and not pd.isna(correlation.get("pearson_r")):
        subtitle = (
            f"r = {correlation['pearson_r']:+.2f} [{correlation['ci_low']:+.2f}, "
            f"{correlation['ci_high']:+.2f}], {int(correlation['organisations'])} "
            "organisations"
        )
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{HEIGHT}' "
        f"viewBox='0 0 {WIDTH} {HEIGHT}' font-family='sans-serif' role='img'>"
        f"<title>{html.escape(title)}</title><rect width='100%' height='100%' fill='white'/>"
        f"<text x='{MARGIN}' y='16' font-size='13' font-weight='bold'>{html.escape(title)}</text>"
        f"<text x='{MARGIN}' y='28' font-size='11' fill='#555'>{html.escape(subtitle)}</text>"
        f"{body}</svg>\n"
    )


def write_crossref_charts(
    table: pd.DataFrame, correlations: pd.DataFrame, folder: str | Path
) -> list[Path]:
    """One SVG per (code, indicator) pair in ``correlations``; returns the files written."""
    folder = Path(folder)
    written = []
    for row in correlations.itertuples(index=False):
        path = folder / f"{row.code}_indicator_{row.indicator}.svg"
        write_text_atomic(
            path, scatter_svg(table, row.code, int(row.indicator), pd.Series(row._asdict()))
        )
        written.append(path)
    return written
