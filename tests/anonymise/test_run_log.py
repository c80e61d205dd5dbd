"""The anonymise run log holds counts and words only, and unprotected attributes are named."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from lived_experience.anonymise.disclosure import enforce_k_anonymity
from lived_experience.anonymise.files import AnonymisationSummary
from lived_experience.anonymise.run_log import (
    describe_disclosure,
    run_log,
    run_log_path,
    unprotected_attributes,
    unprotected_warning,
    write_run_log,
)
from tests.conftest import SYNTHETIC


def test_run_log_has_counts_and_no_values(tmp_path: Path) -> None:
    import pandas as pd

    survey = pd.read_csv(SYNTHETIC / "staff_survey.csv", dtype=str, keep_default_na=False)
    _, report = enforce_k_anonymity(survey.head(300), ["ethnicity", "band"], 11)
    summary = AnonymisationSummary(
        rows=300,
        cells_changed=41,
        by_type=Counter({"PERSON": 30, "DATE": 12}),
        flagged_indirect=2,
        tag_values={"[PERSON_ABC123]": ["Priya Patel"]},
    )
    log = run_log(
        summary,
        input_name="staff_survey.csv",
        output_name="anon.csv",
        text_columns=["q_experience"],
        disclosure=report,
        quasi_identifiers=["ethnicity", "band"],
        unprotected=["staff_group"],
    )
    path = write_run_log(log, run_log_path(tmp_path / "anon.csv"))
    assert path.name == "anon.run_log.json"
    text = path.read_text(encoding="utf-8")
    assert "Priya" not in text and "PERSON_ABC123" not in text and "NSS-" not in text
    data = json.loads(text)
    assert data["identifiers_replaced_total"] == 42 and data["rows"] == 300
    words = data["disclosure_control"]["in_words"]
    assert words.startswith("Disclosure control (k = 11) over ethnicity, band")
    assert "{" not in words  # words, not a Python dict
    assert describe_disclosure(report) in words.replace(" over ethnicity, band", "")


def test_unprotected_attributes_are_named_in_the_warning() -> None:
    columns = ["respondent_id", "org_code", "ethnicity", "staff_group", "band", "q_experience"]
    left = unprotected_attributes(columns, ["band"], ["q_experience"])
    assert left == ["ethnicity", "staff_group"]
    message = unprotected_warning(left)
    assert "ethnicity, staff_group" in message and "--quasi-identifier" in message
