from __future__ import annotations

import logging

import numpy as np
import pytest

from lived_experience.errors import NotFittedError, TopicModelError
from lived_experience.topics import OUTLIER, TopicModeler, TopicSettings, is_answer
from tests.conftest import REPO
from tests.topics.conftest import TEXT_COLUMNS


def _answers(survey, rows: int) -> list[str]:  # type: ignore[no-untyped-def]
    head = survey.head(rows)
    return [t for c in TEXT_COLUMNS for t in head[c] if is_answer(t)]


@pytest.mark.slow
def test_topic_model_same_input_same_topics(survey, embedder, codebook) -> None:  # type: ignore[no-untyped-def]
    texts = _answers(survey, 125)  # about 200 answers: the smallest corpus we promise
    assert 180 <= len(texts) <= 220
    first = TopicModeler(TopicSettings(), embedder, codebook).fit(texts)
    second = TopicModeler(TopicSettings(), embedder, codebook).fit(texts)
    assert len(first.topic_ids_) >= 3
    assert first.topics_.tolist() == second.topics_.tolist()
    assert first.keywords_ == second.keywords_
    assert np.array_equal(first.topic_vectors_, second.topic_vectors_)


@pytest.mark.slow
def test_topic_model_fit_prints_no_bertopic_warning(survey, embedder) -> None:  # type: ignore[no-untyped-def]
    # the warning about the topic list we hand update_topics landed in the user's progress
    # display; BERTopic resets its logger's level during fit, so it must be filtered
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("BERTopic")
    handler = Keep(level=logging.WARNING)
    logger.addHandler(handler)
    try:
        TopicModeler(TopicSettings(guided=False), embedder).fit(_answers(survey, 125))
    finally:
        logger.removeHandler(handler)
    assert [r.getMessage() for r in records] == []


@pytest.mark.slow
def test_topic_model_another_seed_is_still_a_valid_partition(survey, embedder) -> None:  # type: ignore[no-untyped-def]
    texts = _answers(survey, 400)
    model = TopicModeler(TopicSettings(seed=7, guided=False), embedder).fit(texts)
    assert len(model.topics_) == len(texts)
    assert set(model.topics_.tolist()) - {OUTLIER} == set(model.topic_ids_)


def test_topic_model_tiny_corpus_says_what_to_do(embedder) -> None:  # type: ignore[no-untyped-def]
    texts = [f"Parking is awful on shift {i}." for i in range(10)]
    with pytest.raises(TopicModelError, match="at least 50 distinct") as error:
        TopicModeler(TopicSettings(), embedder).fit(texts)
    assert "Parking" not in str(error.value)  # never echo respondent text


def test_topic_model_embeddings_must_match_answers(embedder) -> None:  # type: ignore[no-untyped-def]
    texts = [f"answer number {i} about the rota" for i in range(60)]
    with pytest.raises(TopicModelError, match="one embedding per answer"):
        TopicModeler(TopicSettings(), embedder).fit(texts, np.zeros((3, 384), dtype=np.float32))


def test_topic_model_unfitted_says_call_fit() -> None:
    with pytest.raises(NotFittedError, match="call fit"):
        TopicModeler().transform(["anything"])


@pytest.mark.slow
def test_topic_model_save_load_assigns_new_answers_the_same(
    topic_result, embedder, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    modeler = topic_result.modeler
    folder = modeler.save(tmp_path / "model")
    assert (folder / "bertopic" / "topic_embeddings.safetensors").exists()
    loaded = TopicModeler.load(folder, embedder)
    new = [
        "Parking at night is impossible and the car park is dark.",
        "A patient shouted racist abuse at me and my manager did nothing.",
        "I keep applying for band 7 posts and never get an interview.",
    ]
    before = modeler.transform(new)
    after = loaded.transform(new)
    assert before[0].tolist() == after[0].tolist()
    assert np.allclose(before[1], after[1])
    assert loaded.labels() == modeler.labels()


def test_topic_model_load_wrong_folder_says_which(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TopicModelError, match="not a saved topic model"):
        TopicModeler.load(tmp_path)


def test_cluster_sizes_scale_with_the_corpus() -> None:
    settings = TopicSettings()
    sizes = [settings.cluster_sizes(n)[0] for n in (60, 2_000, 20_000, 100_000, 500_000)]
    assert sizes == [10, 22, 71, 158, 200]  # half the square root, between 10 and 200
    assert settings.cluster_sizes(10_000) == (50, 5)
    assert TopicSettings(min_topic_size=30).cluster_sizes(100_000) == (30, 5)
    assert TopicSettings(min_topic_size=3).cluster_sizes(100_000) == (3, 3)


def test_topic_settings_reject_unknown_fields() -> None:
    with pytest.raises(ValueError, match="min_topic_sise"):
        TopicSettings(min_topic_sise=5)  # type: ignore[call-arg]


@pytest.mark.slow
def test_topic_model_same_topics_in_another_process(survey, embedder, codebook) -> None:  # type: ignore[no-untyped-def]
    import json
    import os
    import subprocess
    import sys

    texts = _answers(survey, 125)
    here = TopicModeler(TopicSettings(), embedder, codebook).fit(texts)
    script = (
        "import json, sys\n"
        "from lived_experience.codebook import load_codebook\n"
        "from lived_experience.coding import Embedder\n"
        "from lived_experience.topics import TopicModeler, TopicSettings\n"
        "texts = json.load(sys.stdin)\n"
        f"book = load_codebook({str(REPO / 'codebooks' / 'wres_lived_experience.yaml')!r})\n"
        f"embedder = Embedder(cache_path={str(embedder.cache_path)!r})\n"
        "model = TopicModeler(TopicSettings(), embedder, book)\n"
        "print(json.dumps(model.fit(texts).topics_.tolist()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        env={**os.environ, "PYTHONHASHSEED": "123"},
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == here.topics_.tolist()
