from __future__ import annotations

import pandas as pd

from lived_experience.topics import TopicSettings
from lived_experience.topics.codes import code_closeness, core_sentences, nearest_codes

TEXTS = [
    "Parking is a nightmare for night shifts. I am a staff nurse.",
    "The car park is always full before the night shift. I am a staff nurse.",
    "A patient called me a racist name and refused my care. I am a staff nurse.",
    "Relatives shouted racist abuse at me on the ward. I am a staff nurse.",
]
TOPICS = [0, 0, 1, 1]


def test_core_sentences_leave_out_what_every_answer_says() -> None:
    cores = core_sentences(TEXTS, TOPICS)
    assert set(cores) == {0, 1}
    assert "I am a staff nurse." not in cores[0].index
    assert "Parking is a nightmare for night shifts." in cores[0].index
    assert abs(cores[1].sum() - 1.0) < 1e-9


def test_nearest_codes_match_known_themes_and_flag_new_ones(codebook, embedder) -> None:  # type: ignore[no-untyped-def]
    threshold = TopicSettings().new_code_threshold
    table = nearest_codes(TEXTS, TOPICS, codebook, embedder, new_code_threshold=threshold)
    rows = table.set_index("topic")
    assert rows.loc[1, "nearest_code"] == "abuse_from_public"
    assert not rows.loc[1, "candidate_new_code"]
    assert rows.loc[0, "candidate_new_code"]
    assert rows.loc[1, "nearest_codes"].startswith("abuse_from_public (")


def test_code_closeness_is_a_topic_by_code_table(codebook, embedder) -> None:  # type: ignore[no-untyped-def]
    similarity, rules = code_closeness(TEXTS, TOPICS, codebook, embedder)
    assert list(similarity.index) == [0, 1] and list(rules.index) == [0, 1]
    assert list(similarity.columns) == list(codebook.code_ids)
    assert similarity.loc[1].idxmax() == "abuse_from_public"
    assert ((rules >= 0) & (rules <= 1)).all().all()
    # the same answers in another order give the same table
    again, _ = code_closeness(TEXTS[::-1], TOPICS[::-1], codebook, embedder)
    pd.testing.assert_frame_equal(again, similarity, check_exact=False, atol=1e-6)
