from __future__ import annotations

from pathlib import Path

from lived_experience.anonymise.disclosure import (
    SUPPRESSED,
    broad_ethnic_group,
    enforce_k_anonymity,
    small_groups,
)
from lived_experience.ingest import read_survey

COLUMNS = ["ethnicity", "staff_group", "band", "length_of_service"]


def test_enforce_k_anonymity_leaves_no_group_under_k(synthetic_dir: Path) -> None:
    survey = read_survey(synthetic_dir / "staff_survey.csv")
    assert len(small_groups(survey, COLUMNS)) > 0
    fixed, report = enforce_k_anonymity(survey, COLUMNS, k=11)
    counts = fixed[fixed["ethnicity"] != SUPPRESSED].groupby(COLUMNS).size()
    assert counts.min() >= 11
    assert report.generalised and report.small_groups_before > 0
    assert fixed["respondent_id"].tolist() == survey["respondent_id"].tolist()
    assert fixed["q_experience"].equals(survey["q_experience"])


def test_broad_ethnic_group() -> None:
    assert broad_ethnic_group("Black or Black British - African") == "Black"
    assert broad_ethnic_group("Chinese") == "Asian"
    assert broad_ethnic_group("Prefer not to say") == "Not stated"
