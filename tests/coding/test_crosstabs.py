from __future__ import annotations

import pandas as pd

from lived_experience.coding.crosstabs import minority_white_ratio, prevalence_by_group


def _coded() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ethnic_group": ["Ethnic minority"] * 40 + ["White"] * 60 + ["Not stated"] * 5,
            "codes": ["bullying_from_staff"] * 20
            + [""] * 20
            + ["bullying_from_staff"] * 6
            + [""] * 54
            + [""] * 5,
        }
    )


def test_prevalence_by_group_with_intervals_and_suppression() -> None:
    table = prevalence_by_group(_coded(), "ethnic_group", ["bullying_from_staff"]).set_index(
        "ethnic_group"
    )
    assert table.loc["Ethnic minority", "percent"] == 50.0
    assert table.loc["Ethnic minority", "ci_low"] < 50 < table.loc["Ethnic minority", "ci_high"]
    assert table.loc["Not stated", "suppressed"] and pd.isna(table.loc["Not stated", "percent"])
    assert table.loc["Not stated", "respondents"] == 5


def test_minority_white_ratio() -> None:
    row = minority_white_ratio(_coded(), ["bullying_from_staff"]).iloc[0]
    assert row["ratio"] == 5.0 and row["ci_low"] > 1
