from __future__ import annotations

import pandas as pd
import pytest

from lived_experience.topics import OUTLIER, is_answer, write_topic_outputs
from tests.topics.conftest import TEXT_COLUMNS

pytestmark = pytest.mark.slow

#: share of distinct words among all topics' keywords (0.95 on the synthetic survey; 0.648
#: on 20,000 answers with label_candidates=100, docs/benchmarks_topics.md)
DIVERSITY = 0.85


def test_outlier_reduction_leaves_under_15_percent_unassigned(topic_result) -> None:  # type: ignore[no-untyped-def]
    assert topic_result.outliers_before_reduction > topic_result.unassigned_share
    assert topic_result.unassigned_share < 0.15


def test_every_answer_comes_back_in_order_with_its_id(topic_result, survey) -> None:  # type: ignore[no-untyped-def]
    assignments = topic_result.assignments
    assert len(assignments) == len(survey) * len(TEXT_COLUMNS)
    assert assignments["id"].iloc[::2].tolist() == survey["respondent_id"].tolist()
    expected = [
        is_answer(survey.iloc[i // 2][TEXT_COLUMNS[i % 2]]) for i in range(len(assignments))
    ]
    assert assignments["topic"].notna().tolist() == expected


def test_topic_table_is_readable(topic_result) -> None:  # type: ignore[no-untyped-def]
    table = topic_result.topics
    real = table[table["topic"] != OUTLIER]
    assert 8 <= len(real) <= 60
    assert table["size"].sum() == topic_result.assignments["topic"].notna().sum()
    assert real["label"].str.len().gt(3).all()
    # every topic shows an answer; a topic of one-word answers ("Fine.", "ok") shows one
    assert real["representative_1"].str.strip().str.len().gt(0).all()
    assert real["representative_1"].str.len().gt(10).mean() >= 0.9
    # stop words and pseudonym tags never become keywords
    words = {w for keywords in real["keywords"] for w in keywords.split("; ")}
    assert not words & {"nhs", "trust", "staff", "the", "work"}
    assert not any("_" in w or any(ch.isdigit() for ch in w) for w in words)


def test_keywords_are_distinct_across_topics(topic_result) -> None:  # type: ignore[no-untyped-def]
    # keywords are each topic's own distinctive words: when the KeyBERT-style step chose from
    # BERTopic's 100 candidates, generic words ("staffing", "hospital") crept into most topics
    real = topic_result.topics[topic_result.topics["topic"] != OUTLIER]
    words = [w for keywords in real["keywords"] for w in keywords.split("; ")]
    assert len(set(words)) / len(words) >= DIVERSITY
    assert max(words.count(w) for w in set(words)) <= len(real) // 3


def test_research_descriptors_survive_as_keywords(topic_result) -> None:  # type: ignore[no-untyped-def]
    words = " ".join(topic_result.topics["keywords"])
    assert "black" in words and "white" in words


def test_topics_no_code_covers_are_flagged(topic_result) -> None:  # type: ignore[no-untyped-def]
    table = topic_result.topics[topic_result.topics["topic"] != OUTLIER]
    assert {"nearest_code", "nearest_codes", "candidate_new_code"} <= set(table.columns)
    flagged = table[table["candidate_new_code"].astype(bool)]
    # the synthetic survey's uncoded chatter (staffing, parking, workload) is found as new
    assert flagged["keywords"].str.contains("staffing|parking|workload|rota").any()
    # and the clearest codebook topics are matched to their code
    abuse = table[table["keywords"].str.contains("racist abuse")].iloc[0]
    assert abuse["nearest_code"] == "abuse_from_public"
    assert not abuse["candidate_new_code"]


def test_topics_by_group_suppress_small_counts(topic_result) -> None:  # type: ignore[no-untyped-def]
    by_group = topic_result.by_group
    assert {"ethnic_group", "staff_group", "org_code"} <= set(by_group["group_column"])
    shown = by_group["answers"].dropna()
    assert (shown == 0).sum() + (shown >= 11).sum() == len(shown)
    assert by_group.loc[by_group["suppressed"], "share"].isna().all()


def test_topics_over_waves_use_the_survey_year(topic_result) -> None:  # type: ignore[no-untyped-def]
    assert topic_result.wave_column == "survey_year"
    assert set(topic_result.by_wave["wave"]) == {"2023", "2024"}


def test_write_topic_outputs(topic_result, tmp_path) -> None:  # type: ignore[no-untyped-def]
    written = write_topic_outputs(topic_result, tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in written}
    assert {"topics.csv", "assignments.csv", "charts/topics_barchart.html"} <= names
    assert {"charts/intertopic_map.png", "charts/topics_per_ethnic_group.png"} <= names
    assert "model/bertopic/topic_embeddings.safetensors" in names
    html = (tmp_path / "charts" / "topics_barchart.html").read_text(encoding="utf-8")
    assert 'src="plotly.min.js"' in html and "https://" not in html.split("<body>")[0]
    png = (tmp_path / "charts" / "topics_barchart.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    again = tmp_path / "again"
    write_topic_outputs(topic_result, again)
    for name in ("topics.csv", "assignments.csv", "charts/topics_barchart.html"):
        assert (again / name).read_bytes() == (tmp_path / name).read_bytes()
    assignments = pd.read_csv(tmp_path / "assignments.csv")
    assert list(assignments.columns[:3]) == ["id", "field", "topic"]
