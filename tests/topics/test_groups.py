from __future__ import annotations

import pandas as pd

from lived_experience.topics.corpus import documents_of
from lived_experience.topics.groups import find_wave_column, topics_by_group, wave_values


def test_topics_by_group_suppresses_counts_under_k() -> None:
    assignments = pd.DataFrame(
        {
            "topic": [0] * 12 + [1] * 3 + [0] * 4 + [pd.NA] * 2,
            "ethnic_group": ["Ethnic minority"] * 15 + ["White"] * 4 + ["White"] * 2,
        }
    ).astype({"topic": "Int64"})
    table = topics_by_group(assignments, ["ethnic_group"], {0: "a", 1: "b"}, k=11)
    row = table.set_index(["group", "topic"])
    assert row.loc[("Ethnic minority", 0), "answers"] == 12
    assert row.loc[("Ethnic minority", 0), "share"] == 0.8
    assert pd.isna(row.loc[("Ethnic minority", 1), "answers"])
    assert bool(row.loc[("Ethnic minority", 1), "suppressed"])
    # a whole group under k is suppressed, even its zero cells' shares
    assert row.loc["White", "suppressed"].all()
    assert row.loc[("Ethnic minority", 0), "label"] == "a"


def test_wave_values_turn_dates_into_quarters() -> None:
    dates = pd.Series(["03/02/2024", "2024-11-30", None])
    assert wave_values(dates).tolist()[:2] == ["2024-Q1", "2024-Q4"]
    assert wave_values(pd.Series(["2023", "2024"])).tolist() == ["2023", "2024"]
    assert find_wave_column(["respondent_id", "Survey_Year"]) == "Survey_Year"
    assert find_wave_column(["respondent_id"]) is None


def test_documents_of_keeps_row_order_and_skips_interviewers() -> None:
    frame = pd.DataFrame(
        {
            "segment_id": ["T1-0001", "T1-0002", "T1-0003"],
            "speaker_role": ["interviewer", "respondent", "respondent"],
            "text": ["How is work?", "Parking is awful at night.", "N/A"],
        }
    )
    documents = documents_of(frame, ["text"], "segment_id")
    assert documents["id"].tolist() == ["T1-0001", "T1-0002", "T1-0003"]
    assert documents["is_answer"].tolist() == [False, True, False]
    assert "speaker_role" in documents.columns
