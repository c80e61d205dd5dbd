from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lived_experience.synthetic.wres import synthetic_wres
from lived_experience.wres import (
    OUTPUT_COLUMNS,
    compare_with_national,
    compute_indicators,
    national_indicators,
    read_returns,
    year_on_year,
)
from lived_experience.wres.inputs import WresInputError

ROW = {
    "org_code": "X1",
    "org_name": "Test",
    "year": 2024,
    "headcount_white": 1000,
    "headcount_bme": 500,
    "headcount_unknown": 20,
    "shortlisted_white": 200,
    "shortlisted_bme": 150,
    "appointed_white": 60,
    "appointed_bme": 30,
    "disciplinary_white": 10,
    "disciplinary_bme": 12,
    "training_white": 500,
    "training_bme": 200,
    "board_voting_white": 10,
    "board_voting_bme": 2,
    "board_voting_unknown": 0,
    "board_exec_white": 6,
    "board_exec_bme": 1,
    "board_exec_unknown": 0,
}


def _indicator(table: pd.DataFrame, indicator: int, group: str = "") -> pd.Series:
    return table[(table["indicator"] == indicator) & (table["group"] == group)].iloc[0]


def test_relative_likelihoods_follow_the_published_definitions() -> None:
    table = compute_indicators(pd.DataFrame([ROW]))
    assert list(table.columns) == list(OUTPUT_COLUMNS)
    assert _indicator(table, 2)["value"] == pytest.approx((60 / 200) / (30 / 150), abs=1e-4)
    assert _indicator(table, 3)["value"] == pytest.approx((12 / 500) / (10 / 1000), abs=1e-4)
    assert _indicator(table, 4)["value"] == pytest.approx((500 / 1000) / (200 / 500), abs=1e-4)
    ind2 = _indicator(table, 2)
    assert "above_1.25" in ind2["flag"] and "significant" in ind2["flag"]
    voting = _indicator(table, 9, "voting")
    assert voting["value"] == pytest.approx(100 * (2 / 12 - 500 / 1520), abs=1e-3)
    assert "few_events" in voting["flag"]


def test_two_year_rolling_disciplinary_sums_both_years() -> None:
    earlier = {**ROW, "year": 2023, "disciplinary_bme": 8, "disciplinary_white": 14}
    table = compute_indicators(pd.DataFrame([earlier, ROW]))
    rolling = table[(table["indicator"] == 3) & (table["group"] == "two_year")]
    assert rolling["year"].tolist() == [2024]
    assert rolling["value"].iloc[0] == pytest.approx((20 / 1000) / (24 / 2000), abs=1e-4)


def test_small_groups_are_suppressed_not_dropped() -> None:
    small = {**ROW, "shortlisted_bme": 8, "appointed_bme": 2}
    row = _indicator(compute_indicators(pd.DataFrame([small])), 2)
    assert "suppressed" in row["flag"] and pd.isna(row["value"]) and pd.isna(row["ci_low"])


def test_survey_indicators_use_the_previous_years_survey() -> None:
    data = synthetic_wres(n_orgs=2, years=(2021, 2022))
    table = compute_indicators(data.returns, survey=data.survey)
    survey_rows = table[table["indicator"].isin([5, 6, 7, 8])]
    assert sorted(survey_rows["year"].unique()) == [2021, 2022]
    seven_2021 = survey_rows[(survey_rows["indicator"] == 7) & (survey_rows["year"] == 2021)]
    assert seven_2021["flag"].str.contains("wording_changed").all()
    assert set(survey_rows["group"]) == {"white", "bme", "difference"}


def test_synthetic_national_totals_resemble_the_published_ones() -> None:
    national = national_indicators(synthetic_wres().returns)
    share = national[(national["indicator"] == 1)].set_index("year")["value"]
    assert share[2016] == pytest.approx(17.7, abs=1.5) and share[2024] == pytest.approx(
        28.6, abs=1.5
    )
    shortlisting = national[national["indicator"] == 2].set_index("year")["value"]
    assert shortlisting.between(1.35, 1.75).all()


def test_year_on_year_and_national_comparison() -> None:
    data = synthetic_wres(n_orgs=1, years=(2018, 2019))
    table = compute_indicators(data.returns)
    changes = year_on_year(table)
    two = changes[(changes["indicator"] == 2) & (changes["year"] == 2019)].iloc[0]
    assert two["change"] == pytest.approx(two["value"] - two["previous_value"])
    compared = compare_with_national(table)
    assert (
        compared[(compared["indicator"] == 2) & (compared["year"] == 2019)]["national"].iloc[0]
        == 1.46
    )


@pytest.mark.parametrize(
    "change, message",
    [
        ({"appointed_bme": 200}, "'appointed_bme' is larger than 'shortlisted_bme'"),
        ({"headcount_bme": -5}, "line 2, column 'headcount_bme': negative"),
        ({"training_white": ""}, "line 2, column 'training_white': missing"),
    ],
)
def test_read_returns_names_the_line_and_column(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    path = tmp_path / "returns.csv"
    pd.DataFrame([{**ROW, **change}]).to_csv(path, index=False)
    with pytest.raises(WresInputError, match=message):
        read_returns(path)


def test_the_bundled_synthetic_returns_validate(synthetic_dir: Path) -> None:
    returns = read_returns(synthetic_dir / "wres" / "returns.csv")
    assert returns["org_code"].nunique() == 30 and returns["year"].min() == 2016
