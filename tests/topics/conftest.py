"""One topic model over the whole synthetic survey per test session (the slow part)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import SYNTHETIC

TEXT_COLUMNS = ["q_experience", "q_improve"]


@pytest.fixture(scope="session")
def survey() -> pd.DataFrame:
    from lived_experience.ingest import read_survey

    return read_survey(SYNTHETIC / "staff_survey.csv")


@pytest.fixture(scope="session")
def topic_result(survey, embedder, codebook):  # type: ignore[no-untyped-def]
    from lived_experience.topics import model_topics

    return model_topics(survey, TEXT_COLUMNS, "respondent_id", embedder=embedder, codebook=codebook)
