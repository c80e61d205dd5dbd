"""The same answers in any row order give the same topics, words, tables and assignments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from lived_experience.topics import canonical_order, model_topics
from tests.topics.conftest import TEXT_COLUMNS

SHUFFLES = (1, 2, 3)


def test_canonical_order_ignores_the_input_order() -> None:
    texts = [f"answer {i % 7} about the rota" for i in range(40)] + ["  padded  ", "padded"]
    rng = np.random.default_rng(0)
    for _ in range(5):
        shuffled = [texts[i] for i in rng.permutation(len(texts))]
        assert [shuffled[i] for i in canonical_order(shuffled)] == [
            texts[i] for i in canonical_order(texts)
        ]


def _by_answer(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["id", "field"], kind="stable").reset_index(drop=True)


@pytest.mark.slow
def test_topics_are_the_same_in_any_row_order(survey, embedder, codebook) -> None:  # type: ignore[no-untyped-def]
    frame = survey.head(125)  # about 200 answers, guided by the codebook, with groups and waves
    base = model_topics(frame, TEXT_COLUMNS, "respondent_id", embedder=embedder, codebook=codebook)
    assert len(base.modeler.topic_ids_) >= 3
    expected = _by_answer(base.assignments)
    for seed in SHUFFLES:
        shuffled = frame.sample(frac=1.0, random_state=seed)
        assert shuffled["respondent_id"].tolist() != frame["respondent_id"].tolist()
        result = model_topics(
            shuffled, TEXT_COLUMNS, "respondent_id", embedder=embedder, codebook=codebook
        )
        got = _by_answer(result.assignments)
        # the stage keeps the caller's row order ...
        assert result.assignments["id"].iloc[::2].tolist() == shuffled["respondent_id"].tolist()
        # ... and every answer gets the same topic, label and similarity
        pd.testing.assert_frame_equal(got, expected)
        answered = got["topic"].notna()
        assert adjusted_rand_score(got["topic"][answered], expected["topic"][answered]) == 1.0
        assert result.modeler.keywords_ == base.modeler.keywords_
        assert result.modeler.topic_ids_ == base.modeler.topic_ids_
        assert np.array_equal(result.modeler.topic_vectors_, base.modeler.topic_vectors_)
        pd.testing.assert_frame_equal(result.topics, base.topics)  # labels, codes, quotes
        pd.testing.assert_frame_equal(result.by_group, base.by_group)
        pd.testing.assert_frame_equal(result.by_wave, base.by_wave)
