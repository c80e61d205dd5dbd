from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lived_experience.ingest import read_survey
from lived_experience.synthetic.labels import respondent_codes
from lived_experience.synthetic.organisations import PLANTED_CODES
from lived_experience.wres import compute_indicators, read_bands, read_returns, read_staff_survey
from lived_experience.wres.crossref import crossref, theme_prevalence

LINKS = {code: [indicator] for code, indicator in PLANTED_CODES.items()}


@pytest.fixture(scope="module")
def coded_and_indicators(synthetic_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    survey = read_survey(synthetic_dir / "staff_survey.csv")
    codes = respondent_codes(synthetic_dir).set_index("id")["codes"]
    survey["codes"] = survey["respondent_id"].map(codes).fillna("")
    wres = synthetic_dir / "wres"
    indicators = compute_indicators(
        read_returns(wres / "returns.csv"),
        read_bands(wres / "bands.csv"),
        read_staff_survey(wres / "staff_survey.csv"),
    )
    return survey, indicators


def test_crossref_recovers_the_planted_relationship(coded_and_indicators) -> None:  # type: ignore[no-untyped-def]
    coded, indicators = coded_and_indicators
    table, correlations = crossref(coded, indicators, LINKS)
    by_code = correlations.set_index("code")
    assert (by_code["organisations"] == 30).all()
    for code in ("abuse_from_public", "bullying_from_staff", "discrimination_from_staff"):
        assert by_code.loc[code, "ci_low"] > 0, code
    assert by_code.loc["career_progression", "ci_high"] < 0  # indicator 7 is 'positive'
    assert set(table["indicator"]) == {5, 6, 7, 8}


def test_crossref_finds_nothing_when_the_link_is_shuffled(coded_and_indicators) -> None:  # type: ignore[no-untyped-def]
    coded, indicators = coded_and_indicators
    orgs = sorted(indicators["org_code"].unique())
    shuffled = dict(zip(orgs, np.random.default_rng(1).permutation(orgs), strict=True))
    moved = indicators.assign(org_code=indicators["org_code"].map(shuffled))
    _, correlations = crossref(coded, moved, LINKS)
    assert ((correlations["ci_low"] < 0) & (correlations["ci_high"] > 0)).all()


def test_theme_prevalence_suppresses_small_groups() -> None:
    coded = pd.DataFrame(
        {
            "org_code": ["A"] * 15,
            "ethnic_group": ["Ethnic minority"] * 5 + ["White"] * 10,
            "codes": ["bullying_from_staff"] * 3 + [""] * 12,
        }
    )
    row = theme_prevalence(coded, ["bullying_from_staff"]).iloc[0]
    assert row["flag"] == "suppressed" and pd.isna(row["minority_prevalence"])
    assert row["minority_n"] == 5


def test_charts_are_valid_svg_with_one_point_per_organisation(
    coded_and_indicators, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import xml.etree.ElementTree as ET

    from lived_experience.wres.charts import write_crossref_charts

    coded, indicators = coded_and_indicators
    table, correlations = crossref(coded, indicators, LINKS)
    files = write_crossref_charts(table, correlations, tmp_path)
    assert len(files) == 4
    root = ET.fromstring(files[0].read_text(encoding="utf-8"))
    circles = root.findall("{http://www.w3.org/2000/svg}circle")
    assert len(circles) == 30
    assert "r = +" in files[0].read_text(encoding="utf-8")
