from __future__ import annotations

from pathlib import Path

import pytest

from lived_experience.errors import ConfigError
from lived_experience.ingest import read_segments, read_survey, survey_to_segments
from lived_experience.schemas import SEGMENT_COLUMNS


def test_survey_to_segments_keeps_row_order_ids_and_attributes(synthetic_dir: Path) -> None:
    survey = read_survey(synthetic_dir / "staff_survey.csv", id_column="respondent_id")
    segments = survey_to_segments(survey, "respondent_id", ["q_experience", "q_improve"])
    assert len(segments) == 2 * len(survey)
    assert list(segments.columns[: len(SEGMENT_COLUMNS)]) == list(SEGMENT_COLUMNS)
    assert segments["segment_id"].iloc[:4].tolist() == [
        "NSS-00001:q_experience",
        "NSS-00001:q_improve",
        "NSS-00002:q_experience",
        "NSS-00002:q_improve",
    ]
    first = survey.iloc[0]
    assert segments["text"].iloc[1] == first["q_improve"]
    assert segments["ethnic_group"].iloc[0] == first["ethnic_group"]


def test_read_segments_needs_columns_for_a_survey(synthetic_dir: Path) -> None:
    with pytest.raises(ConfigError, match="--id-column and --text-column"):
        read_segments(synthetic_dir / "staff_survey.csv")
