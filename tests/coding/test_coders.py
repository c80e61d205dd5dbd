"""The embedding-based coders on the synthetic survey (the model is loaded once)."""

from __future__ import annotations

import numpy as np
import pytest

from lived_experience.coding import (
    HybridCoder,
    LearnedCoder,
    agreement,
    build_coder,
    calibrate_thresholds,
    code_frame,
)
from lived_experience.errors import ConfigError, NotFittedError

COLUMNS = ["q_experience", "q_improve"]


def test_embeddings_are_cached_on_disk(embedder) -> None:  # type: ignore[no-untyped-def]
    from lived_experience.coding import Embedder

    texts = ["A sentence about rotas.", "Another about appraisals."]
    first = embedder.embed(texts)
    fresh = Embedder(cache_path=embedder.cache_path)
    again = fresh.embed(texts)
    assert fresh.computed == 0 and np.allclose(first, again)
    assert first.shape == (2, 384) and np.allclose(np.linalg.norm(first, axis=1), 1, atol=1e-5)


def test_code_frame_contract(codebook, embedder, labelled_survey) -> None:  # type: ignore[no-untyped-def]
    survey, _ = labelled_survey
    sample = survey.iloc[:60]
    coded = code_frame(sample, COLUMNS, "respondent_id", HybridCoder(codebook, embedder))
    assert coded.frame["respondent_id"].tolist() == sample["respondent_id"].tolist()
    assert list(coded.frame.columns[: len(sample.columns)]) == list(sample.columns)
    assert {f"score:{c}" for c in codebook.code_ids} <= set(coded.frame.columns)
    assert (coded.segments["evidence"] != "").all()
    blank = coded.frame["q_experience"].isin(["", "N/A", "n/a"]) & (coded.frame["q_improve"] == "")
    assert (coded.frame.loc[blank, "codes"] == "").all()


def test_code_frame_judges_each_distinct_sentence_once(codebook, embedder, labelled_survey) -> None:  # type: ignore[no-untyped-def]
    survey, _ = labelled_survey
    sample = survey.iloc[:40].copy()
    # survey exports repeat answers ("N/A", copied template lines): the last 20 rows repeat
    # the first 20 answers word for word, under their own ids
    sample.loc[sample.index[20:], COLUMNS] = sample[COLUMNS].iloc[:20].to_numpy()
    coder = HybridCoder(codebook, embedder)
    batches: list[list[str]] = []
    judge = coder.code

    def spy(sentences):  # type: ignore[no-untyped-def]
        batches.append(list(sentences))
        return judge(sentences)

    coder.code = spy  # type: ignore[method-assign]
    coded = code_frame(sample, COLUMNS, "respondent_id", coder)
    (judged,) = batches
    assert len(judged) == len(set(judged)) < len(coded.sentences)
    assert set(judged) == set(coded.sentences["sentence"])
    # every row still comes out, in order, and a repeated answer gets its first copy's codes
    assert coded.frame["respondent_id"].tolist() == sample["respondent_id"].tolist()
    scores = [f"score:{c}" for c in codebook.code_ids]
    first, repeat = coded.frame.iloc[:20], coded.frame.iloc[20:]
    assert first["codes"].tolist() == repeat["codes"].tolist()
    np.testing.assert_array_equal(first[scores].to_numpy(), repeat[scores].to_numpy())
    # and the same as judging every sentence, repeats included
    alone = judge(coded.sentences["sentence"].tolist())
    np.testing.assert_array_equal(coded.result.assigned, alone.assigned)
    np.testing.assert_array_equal(coded.result.scores, alone.scores)
    assert coded.result.evidence == alone.evidence


@pytest.mark.slow
def test_hybrid_coder_reaches_kappa_070_after_calibration(
    codebook,
    embedder,  # type: ignore[no-untyped-def]
    labelled_survey,
) -> None:
    survey, labels = labelled_survey
    coder = HybridCoder(codebook, embedder)
    calibrate_thresholds(coder, survey.iloc[:300], COLUMNS, "respondent_id", labels)
    held_out = survey.iloc[300:900]
    coded = code_frame(held_out, COLUMNS, "respondent_id", coder)
    table = agreement(
        coded.frame.rename(columns={"respondent_id": "id"}), labels, code_ids=codebook.code_ids
    ).set_index("code")
    assert table.loc["(overall)", "kappa"] >= 0.70


def test_learned_coder_reports_expected_agreement_and_review_queue(
    codebook,
    embedder,  # type: ignore[no-untyped-def]
    labelled_survey,
) -> None:
    survey, labels = labelled_survey
    by_id = dict(zip(labels["id"], labels["codes"], strict=True))
    sample = survey.iloc[:250]
    texts = (sample["q_experience"] + " " + sample["q_improve"]).tolist()
    sets = [{c for c in by_id.get(i, "").split(";") if c} for i in sample["respondent_id"]]
    coder = LearnedCoder(codebook, embedder)
    with pytest.raises(NotFittedError, match="fit"):
        coder.code(["text"])
    coder.fit(texts, sets)
    expected = coder.expected_agreement_.set_index("code")
    assert expected.loc["bullying_from_staff", "kappa"] > 0.5
    queue = coder.review_queue(sample["respondent_id"].tolist(), texts, n=10)
    assert len(queue) == 10 and queue["probability"].between(0, 1).all()


def test_registry_lists_the_coders(codebook) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError, match="hybrid_coder.v1"):
        build_coder("magic", codebook)
    assert build_coder("rule", codebook).name == "rule_coder.v1"  # type: ignore[attr-defined]
