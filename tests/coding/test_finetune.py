"""fewshot_coder.v6: the sentence model fine-tuned on the hand-coded sample (synthetic data;
labels for tests only, never accuracy claims)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from lived_experience.coding import CODERS, FewShotCoder, build_coder
from lived_experience.coding.embeddings import Embedder, load_sentence_model
from lived_experience.coding.finetune import (
    FineTuning,
    TunedEmbedder,
    _batches,
    fine_tune,
    weights_digest,
)
from lived_experience.coding.train import answer_texts, fit_from_labels, training_summary
from lived_experience.models import resolve_embedding_model

from .test_fewshot import _sample

COLUMNS = ["q_experience", "q_improve"]
# a few answers, enough for a step or two of fine-tuning
TEXTS = [
    "My manager talked over me in every meeting and took credit for my work.",
    "I was passed over for the band 7 post again although I had acted up for a year.",
    "Colleagues made jokes about my accent at the nurses' station.",
    "The BAME network gave me somewhere to be heard.",
    "Patients asked for a white doctor and nobody backed me up.",
    "Interview panels are never diverse, so the same people get promoted.",
]
Y = np.array([[1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 1, 0]], dtype=np.float32)
QUICK = FineTuning(epochs=1, batch_size=4)


def test_batches_cover_every_row_once_in_runs_of_similar_length() -> None:
    lengths = np.array([5, 500, 7, 480, 6, 510, 9, 495])
    settings = FineTuning(batch_size=2)
    batches = _batches(lengths, settings, epoch=0)
    assert sorted(np.concatenate(batches).tolist()) == list(range(8))
    # each batch holds neighbours in length: short with short, long with long
    assert all(np.ptp(lengths[b]) < 100 for b in batches)
    again = _batches(lengths, settings, epoch=0)
    assert all(np.array_equal(a, b) for a, b in zip(batches, again, strict=True))
    shuffled = _batches(lengths, FineTuning(batch_size=2, length_buckets=False), epoch=0)
    assert sorted(np.concatenate(shuffled).tolist()) == list(range(8))


@pytest.fixture(scope="module")
def tuned_model():  # type: ignore[no-untyped-def]
    return fine_tune(TEXTS, Y, QUICK)


def test_fine_tuning_is_seeded_and_leaves_the_shared_model_alone(tuned_model) -> None:  # type: ignore[no-untyped-def]
    shared = load_sentence_model(resolve_embedding_model(None))
    before = weights_digest(shared)
    again = fine_tune(TEXTS, Y, QUICK)
    assert weights_digest(again) == weights_digest(tuned_model)  # same sample, seed: same weights
    assert weights_digest(tuned_model) != before  # it learned something
    assert weights_digest(shared) == before  # the process-wide model is untouched
    other = fine_tune(TEXTS, Y, FineTuning(epochs=1, batch_size=4, seed=1))
    assert weights_digest(other) != weights_digest(tuned_model)


def test_tuned_embedder_caches_under_its_own_key_and_pickles_its_weights(  # type: ignore[no-untyped-def]
    tuned_model, tmp_path
) -> None:
    base = Embedder(cache_path=tmp_path / "cache.sqlite")
    tuned = TunedEmbedder(tuned_model, base)
    assert tuned.model_key.startswith(base.model_key + "+tuned-")
    assert tuned.cache_path == base.cache_path
    vectors = tuned.embed(TEXTS)
    assert vectors.shape == (len(TEXTS), 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(vectors, base.embed(TEXTS), atol=1e-3)  # not the frozen vectors
    # a second embedder over the same weights reads the first one's vectors from the cache
    warm = TunedEmbedder(tuned_model, base)
    np.testing.assert_array_equal(warm.embed(TEXTS), vectors)
    assert warm.computed == 0
    restored = pickle.loads(pickle.dumps(tuned))
    assert restored.model_key == tuned.model_key
    fresh = TunedEmbedder(restored.model, Embedder(cache_path=False))
    np.testing.assert_allclose(fresh.embed(TEXTS), vectors, atol=1e-5)
    # or in memory only
    memory = TunedEmbedder(tuned_model, base, cache_path=False)
    assert memory.cache_path is None
    memory.embed(TEXTS[:2])
    memory.embed(TEXTS[:2])
    assert memory.computed == 2


def _fit_v6(codebook, embedder, labelled_survey):  # type: ignore[no-untyped-def]
    """The ``--train`` default on 60 hand-coded answers, fine-tuned for one epoch (time)."""
    sample, labels = _sample(labelled_survey, 60)
    coder = build_coder(
        "fewshot_coder.v6", codebook, embedder=embedder, fine_tuning=FineTuning(epochs=1)
    )
    return coder.fit(answer_texts(sample, COLUMNS), [labels[i] for i in sample["respondent_id"]])


@pytest.fixture(scope="module")
def v6(codebook, embedder, labelled_survey):  # type: ignore[no-untyped-def]
    return _fit_v6(codebook, embedder, labelled_survey)


def test_v6_is_the_train_default(codebook, embedder) -> None:  # type: ignore[no-untyped-def]
    assert "fewshot_coder.v6" in CODERS and CODERS.resolve("fewshot") == "fewshot_coder.v6"
    coder = build_coder("fewshot", codebook, embedder=embedder)
    assert isinstance(coder, FewShotCoder) and coder.fine_tuning == FineTuning()
    assert (coder.level, coder.final_model) == ("both", "fold_mean")
    assert coder.reader is embedder  # frozen until fitted
    import inspect

    assert inspect.signature(fit_from_labels).parameters["version"].default == "fewshot_coder.v6"


def test_v6_reads_answers_with_its_tuned_model_and_estimates_agreement_nested(  # type: ignore[no-untyped-def]
    v6, embedder, labelled_survey
) -> None:
    assert isinstance(v6.tuned_embedder_, TunedEmbedder) and v6.reader is v6.tuned_embedder_
    assert v6.embedder is embedder  # a refit starts again from the frozen model
    assert v6.tuned_embedder_.model_key != embedder.model_key
    assert v6.expected_kappa_method_ == "nested"
    estimate = v6.expected_kappa_
    assert estimate["low"] <= estimate["kappa"] <= estimate["high"] and estimate["codes"] >= 5
    assert list(v6.expected_agreement_["code"]) == v6.code_ids
    # the inner folds' figure is kept beside it (their embedding saw their labels)
    assert set(v6.inner_expected_kappa_) == {"kappa", "low", "high", "codes"}
    summary = training_summary(v6)
    assert summary["expected_kappa_from"].startswith("nested 5-fold")
    assert summary["fine_tuned"]["epochs"] == 1
    assert summary["fine_tuned"]["weights"] == v6.tuned_embedder_.model_key
    assert summary["inner_expected_kappa"] == v6.inner_expected_kappa_
    # new answers: coded through the tuned model, the same after a pickle round trip
    answers = answer_texts(labelled_survey[0].iloc[1000:1020], COLUMNS)
    predicted = v6.predict(answers)
    assert predicted.shape == (20, len(v6.code_ids)) and predicted.any()
    restored = pickle.loads(pickle.dumps(v6))
    np.testing.assert_array_equal(restored.predict(answers), predicted)
    # abstains on a sentence that only states a role
    assert not v6.code(["I am a band 6 physiotherapist."]).assigned.any()


def test_v6_same_sample_same_coder(v6, codebook, embedder, labelled_survey) -> None:  # type: ignore[no-untyped-def]
    """Refit from scratch on the same answers: the same tuned weights, thresholds, estimate
    and codes (the nested folds' models come from the cache the first fit filled)."""
    again = _fit_v6(codebook, embedder, labelled_survey)
    assert again.tuned_embedder_.model_key == v6.tuned_embedder_.model_key
    assert again.thresholds_ == v6.thresholds_
    assert again.expected_kappa_ == v6.expected_kappa_
    answers = answer_texts(labelled_survey[0].iloc[1000:1020], COLUMNS)
    np.testing.assert_array_equal(again.predict(answers), v6.predict(answers))


def test_v6_on_a_large_sample_labels_its_estimate_as_inner(  # type: ignore[no-untyped-def]
    codebook, embedder, labelled_survey
) -> None:
    sample, labels = _sample(labelled_survey, 30)
    coder = build_coder(
        "fewshot_coder.v6",
        codebook,
        embedder=embedder,
        fine_tuning=FineTuning(epochs=1),
        nested_estimate_max=20,
    )
    coder.fit(answer_texts(sample, COLUMNS), [labels[i] for i in sample["respondent_id"]])
    assert coder.expected_kappa_method_ == "inner"
    assert coder.expected_kappa_ == coder.inner_expected_kappa_
    assert "optimistic" in training_summary(coder)["expected_kappa_from"]
