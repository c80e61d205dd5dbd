"""WRES scatter charts: codebook labels, round ticks, percentage axes within 0-100."""

from __future__ import annotations

import re

import pandas as pd

from lived_experience.axes import nice_ticks
from lived_experience.wres.charts import scatter_svg


def test_scatter_has_labels_round_ticks_and_no_negative_percent_axis() -> None:
    table = pd.DataFrame(
        {
            "code": ["abuse_from_public"] * 4,
            "indicator": [5] * 4,
            "org_code": ["A", "B", "C", "D"],
            "minority_prevalence": [0.0, 3.1, 7.9, 12.4],
            "indicator_value": [21.0, 25.5, 30.2, 34.9],
        }
    )
    svg = scatter_svg(table, "abuse_from_public", 5, code_label="Abuse from patients and public")
    title = re.search(r"<title>([^<]*)</title>", svg)
    assert title and "Abuse from patients and public" in title.group(1)
    assert "abuse_from_public" not in svg
    labels = re.findall(r"text-anchor='middle'>(-?[\d.]+)</text>", svg)
    assert labels[0] == "0" and all(float(v) >= 0 for v in labels) and len(labels) >= 3
    assert "-1.5" not in svg


def test_ticks_are_round_and_bounded() -> None:
    assert nice_ticks(-0.7, 99.9, floor=0, ceiling=100) == [0, 25, 50, 75, 100]
    ticks = nice_ticks(0.93, 1.41)
    assert ticks[0] <= 0.93 and ticks[-1] >= 1.41 and len(ticks) <= 8
