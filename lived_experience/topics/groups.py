"""Topics by group (ethnic group, staff group, organisation) and over survey waves.

Counts under ``k`` are suppressed (blank, with ``suppressed`` set) so a small group's answers
cannot be singled out; shares are of the group's assigned answers and are suppressed with
their counts.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lived_experience.schemas import require_columns

GROUP_COLUMNS = ("group_column", "group", "topic", "label", "answers", "share", "suppressed")
#: column names taken as the survey wave when none is given
WAVE_COLUMNS = ("wave", "survey_wave", "survey_year", "year", "date", "submitted", "end_date")


def topics_by_group(
    assignments: pd.DataFrame,
    group_columns: Sequence[str],
    labels: dict[int, str],
    k: int = 11,
) -> pd.DataFrame:
    """Long table: answers per (group, topic) with shares, counts under ``k`` suppressed.

    ``assignments`` needs ``topic`` and every column of ``group_columns``; answers without a
    topic (empty) are left out, unassigned ones (-1) counted as their own row.
    """
    require_columns(assignments, ["topic", *group_columns], "topics by group")
    assigned = assignments[assignments["topic"].notna()]
    parts = []
    for column in group_columns:
        values = assigned[column].astype("string").fillna("(not given)")
        counts = (
            pd.crosstab(values, assigned["topic"].astype(int))
            .stack()
            .rename("answers")
            .reset_index()
        )
        counts.columns = ["group", "topic", "answers"]
        totals = counts.groupby("group")["answers"].transform("sum")
        counts["share"] = (counts["answers"] / totals).round(4)
        counts["suppressed"] = (counts["answers"] > 0) & (counts["answers"] < k) | (totals < k)
        counts["answers"] = counts["answers"].astype("Int64").mask(counts["suppressed"])
        counts["share"] = counts["share"].mask(counts["suppressed"])
        counts["label"] = counts["topic"].map(labels).fillna("")
        counts.insert(0, "group_column", column)
        parts.append(counts[list(GROUP_COLUMNS)])
    if not parts:
        return pd.DataFrame(columns=list(GROUP_COLUMNS))
    return pd.concat(parts, ignore_index=True)


def find_wave_column(columns: Sequence[str]) -> str | None:
    """The first column that names a survey wave or date, if any."""
    lower = {str(c).lower(): str(c) for c in columns}
    return next((lower[name] for name in WAVE_COLUMNS if name in lower), None)


def wave_values(values: pd.Series) -> pd.Series:
    """Wave labels: numbers and short labels as they are; dates as ``YYYY-Qn``."""
    text = values.astype("string")
    if (
        text.dropna().str.fullmatch(r"\d{4}|[\w .-]{1,12}").all()
        and not text.dropna().str.match(r"\d{4}-\d{2}-\d{2}").any()
    ):
        return text
    dates = pd.to_datetime(text, errors="coerce", dayfirst=True, format="mixed")
    quarters = dates.dt.to_period("Q").astype("string").str.replace("Q", "-Q", regex=False)
    return quarters.where(dates.notna(), text)
