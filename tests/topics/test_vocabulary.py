from __future__ import annotations

from lived_experience.topics.vocabulary import ClauseAnalyzer, stop_words, topic_vectorizer


def test_stop_words_keep_the_research_signal() -> None:
    words = set(stop_words())
    assert {"the", "nhs", "trust", "staff"} <= words
    assert not {"black", "asian", "white", "muslim", "nurse", "band", "bame"} & words


def test_clause_analyzer_never_joins_across_sentences_or_pseudonyms() -> None:
    analyse = ClauseAnalyzer(stop_words(), 2)
    features = analyse("[PERSON_1a2b3c] shouted at me. Parking is awful, 2024 was worse")
    assert "shouted" in features and "parking awful" in features
    assert "shouted parking" not in features
    assert not any("person" in f or "1a2b3c" in f or "2024" in f for f in features)


def test_vectorizer_min_df_scales() -> None:
    assert topic_vectorizer(500).min_df == 1
    assert topic_vectorizer(5_000).min_df == 5
    assert topic_vectorizer(100_000).min_df == 10
