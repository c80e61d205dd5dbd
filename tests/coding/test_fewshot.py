"""The few-shot coder on the synthetic survey (labels for tests only, never accuracy claims)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lived_experience.coding import CODERS, FewShotCoder, build_coder, code_frame
from lived_experience.coding.fewshot import best_cut, best_threshold, expected_kappa_interval
from lived_experience.coding.train import fit_from_labels
from lived_experience.errors import ConfigError, LabelsFileError, NotFittedError

COLUMNS = ["q_experience", "q_improve"]


def _sample(labelled_survey, n=120):  # type: ignore[no-untyped-def]
    """The first ``n`` synthetic answers and their hand-coded label sets, by respondent id."""
    survey, labels = labelled_survey
    sample = survey.iloc[:n]
    by_id = {
        i: {c for c in v.split(";") if c}
        for i, v in zip(labels["id"], labels["codes"], strict=True)
    }
    return sample, {i: by_id.get(i, set()) for i in sample["respondent_id"]}


@pytest.fixture(scope="module")
def trained(codebook, embedder, labelled_survey):  # type: ignore[no-untyped-def]
    """``fewshot_coder.v5`` (the mean of both levels, scored by the inner folds' models; the
    ``--train`` default, ``v6``, is it on a fine-tuned embedding: tests/coding/test_finetune.py)."""
    sample, sample_labels = _sample(labelled_survey)
    return fit_from_labels(
        codebook, sample, COLUMNS, "respondent_id", sample_labels, embedder, "fewshot_coder.v5"
    )


@pytest.fixture(scope="module")
def trained_answer(codebook, embedder, labelled_survey):  # type: ignore[no-untyped-def]
    """``fewshot_coder.v2``: whole answers judged, a code shown on one sentence."""
    from lived_experience.coding.train import answer_texts

    sample, sample_labels = _sample(labelled_survey)
    coder = build_coder("fewshot_coder.v2", codebook, embedder=embedder)
    return coder.fit(
        answer_texts(sample, COLUMNS), [sample_labels[i] for i in sample["respondent_id"]]
    )


def test_registered_under_a_versioned_name(codebook, embedder) -> None:  # type: ignore[no-untyped-def]
    assert {f"fewshot_coder.v{n}" for n in (1, 2, 3, 4, 5)} <= set(CODERS)
    coder = build_coder("fewshot_coder.v5", codebook, embedder=embedder, thresholds={"x": 0.1})
    assert isinstance(coder, FewShotCoder) and coder.name == "fewshot_coder.v5"
    assert (coder.level, coder.classifier, coder.final_model) == ("both", "linear_svc", "fold_mean")
    v4 = build_coder("fewshot_coder.v4", codebook, embedder=embedder)
    assert (v4.name, v4.level, v4.final_model) == ("fewshot_coder.v4", "both", "refit")
    v3 = build_coder("fewshot_coder.v3", codebook, embedder=embedder)
    assert (v3.name, v3.level) == ("fewshot_coder.v3", "auto")
    v2 = build_coder("fewshot_coder.v2", codebook, embedder=embedder)
    assert (v2.name, v2.level) == ("fewshot_coder.v2", "answer")
    old = build_coder("fewshot_coder.v1", codebook, embedder=embedder)
    assert (old.name, old.level, old.classifier) == ("fewshot_coder.v1", "sentence", "logistic")
    with pytest.raises(NotFittedError, match="fit"):
        coder.code(["A sentence."])
    with pytest.raises(NotFittedError, match="fit"):
        coder.code_in_context(["A sentence."], ["A sentence."], np.array([0]))
    with pytest.raises(ConfigError, match="level"):
        FewShotCoder(codebook, embedder, level="paragraph")


def test_thresholds_are_fitted_inside_the_sample_and_estimate_has_an_interval(trained) -> None:  # type: ignore[no-untyped-def]
    assert set(trained.thresholds_) == set(trained.code_ids)
    assert all(0 < t < 1 for t in trained.thresholds_.values())
    estimate = trained.expected_kappa_
    assert estimate["low"] <= estimate["kappa"] <= estimate["high"]
    assert estimate["codes"] >= 10
    # learns the codebook from 120 answers well enough to mean something on unseen ones
    assert estimate["kappa"] > 0.5
    assert list(trained.expected_agreement_["code"]) == trained.code_ids


def test_codes_unseen_answers_and_abstains_on_descriptions(  # type: ignore[no-untyped-def]
    trained_answer, labelled_survey
) -> None:
    trained = trained_answer
    survey, _ = labelled_survey
    held_out = survey.iloc[1000:1040]
    coded = code_frame(held_out, COLUMNS, "respondent_id", trained)
    assert coded.frame["respondent_id"].tolist() == held_out["respondent_id"].tolist()
    assert (coded.frame["codes"] != "").sum() > 10
    quiet = trained.code(["I am a band 6 physiotherapist.", "I am a staff nurse on nights."])
    assert not quiet.assigned.any()
    # whole answers are judged: each code a row gets is shown on exactly one sentence of one of
    # its answers, and the row's score for it passes the code's threshold
    whole = trained.predict(held_out["q_experience"].fillna("").tolist())
    code_ids = trained.code_ids
    for r, row in enumerate(coded.frame.itertuples(index=False)):
        codes = set(filter(None, row.codes.split(";")))
        assert {code_ids[c] for c in np.flatnonzero(whole[r])} <= codes
        for code in codes:
            shown = coded.segments[
                (coded.segments["id"] == row.respondent_id) & (coded.segments["code"] == code)
            ]
            assert 1 <= len(shown) <= len(COLUMNS)
            assert coded.frame.iloc[r][f"score:{code}"] >= trained.thresholds_[code]


def test_same_sample_same_coder(codebook, embedder, labelled_survey, trained) -> None:  # type: ignore[no-untyped-def]
    survey, _ = labelled_survey
    sample, sample_labels = _sample(labelled_survey)
    again = fit_from_labels(
        codebook, sample, COLUMNS, "respondent_id", sample_labels, embedder, "fewshot_coder.v5"
    )
    assert again.thresholds_ == trained.thresholds_
    texts = survey["q_experience"].iloc[2000:2010].tolist()
    assert np.array_equal(again.predict(texts), trained.predict(texts))


def test_bad_samples_are_clear_errors(codebook, embedder, labelled_survey) -> None:  # type: ignore[no-untyped-def]
    survey, _ = labelled_survey
    coder = FewShotCoder(codebook, embedder)
    with pytest.raises(ConfigError, match="at least 10"):
        coder.fit(["a"] * 3, [set()] * 3)
    with pytest.raises(ConfigError, match="not_a_code"):
        coder.fit(["a"] * 12, [{"not_a_code"}] * 12)
    with pytest.raises(LabelsFileError, match="none of the 1"):
        fit_from_labels(codebook, survey.iloc[:5], COLUMNS, "respondent_id", {"zz": set()})


def test_best_threshold_and_interval_on_hand_made_scores() -> None:
    y = np.array([1, 1, 1, 0, 0, 0, 0, 0], dtype=bool)
    scores = np.array([0.9, 0.8, 0.35, 0.3, 0.2, 0.1, 0.1, 0.05])
    assert best_threshold(y, scores) == pytest.approx(0.325)
    assert best_cut(y, scores) == pytest.approx(0.325)  # between the 3rd and 4th score
    assert best_cut(y, scores[::-1].copy()) == pytest.approx(0.025)  # every answer positive
    assert best_cut(np.zeros(3, bool), np.array([0.2, 0.1, 0.0])) == 0.5
    truth = np.tile(y[:, None], (4, 2))
    perfect = expected_kappa_interval(truth, truth.copy())
    assert perfect["kappa"] == 1.0 and perfect["codes"] == 2
    assert pd.isna(expected_kappa_interval(np.zeros((5, 1), bool), np.zeros((5, 1), bool))["kappa"])


def test_options_pooling_and_per_code_c(codebook, embedder, labelled_survey) -> None:  # type: ignore[no-untyped-def]
    survey, labels = labelled_survey
    by_id = {
        i: {c for c in v.split(";") if c}
        for i, v in zip(labels["id"], labels["codes"], strict=True)
    }
    sample = survey.iloc[:40]
    texts = sample["q_experience"].tolist()
    sets = [by_id.get(i, set()) for i in sample["respondent_id"]]
    with pytest.raises(ConfigError, match="pooling"):
        FewShotCoder(codebook, embedder, pooling="median")
    with pytest.raises(ConfigError, match="c_grid"):
        FewShotCoder(codebook, embedder, level="sentence", c_grid=(0.1, 1.0))
    # mean and maximum of the sentence embeddings: two more embedding-sized blocks
    plain = FewShotCoder(codebook, embedder)
    pooled = FewShotCoder(codebook, embedder, pooling="answer_mean_max")
    two = ["I was bullied. My manager shouted at me.", "N/A"]
    wide = pooled._features([*two, *texts], pooled._vectorisers(), fit=True).shape[1]
    narrow = plain._features([*two, *texts], plain._vectorisers(), fit=True).shape[1]
    assert wide - narrow == 2 * 384
    # the sentences' mean instead of the whole answer's embedding: same width, other values
    averaged = FewShotCoder(codebook, embedder, pooling="sentence_mean")
    same = averaged._features([*two, *texts], averaged._vectorisers(), fit=True)
    assert same.shape[1] == narrow
    means_and_tops = pooled._sentence_pool(two)
    sentences = embedder.embed(["I was bullied.", "My manager shouted at me."])
    assert np.allclose(means_and_tops[0, :384], sentences.mean(axis=0), atol=1e-6)
    assert np.allclose(means_and_tops[0, 384:], sentences.max(axis=0), atol=1e-6)
    assert not means_and_tops[1].any()  # no codeable sentence: zeros
    # none at all: zeros as wide as the model's vectors (asked of the model, not assumed)
    assert pooled._sentence_pool(["N/A", "-"]).shape == (2, 2 * sentences.shape[1])
    # each code's C is one of the grid's, chosen inside the sample; a one-value grid is c
    tuned = FewShotCoder(codebook, embedder, c_grid=(0.05, 2.0)).fit(texts, sets)
    assert set(tuned.c_by_code_.values()) <= {0.05, 2.0}
    single = FewShotCoder(codebook, embedder, c_grid=(0.5,)).fit(texts, sets)
    default = FewShotCoder(codebook, embedder).fit(texts, sets)
    assert single.thresholds_ == default.thresholds_
    assert np.array_equal(single.oof_scores_, default.oof_scores_)
    # held-out folds are scored from the rows already built: same as building them again
    state = default.state_
    assert np.allclose(
        default._answer_scores(state, texts[:5]),
        default._answer_scores(
            state, texts[:5], default._features(texts[:5], state["vectorisers"], False)
        ),
    )


def test_evidence_sentence_is_the_one_scoring_highest_alone(  # type: ignore[no-untyped-def]
    trained_answer, labelled_survey
) -> None:
    trained = trained_answer
    # coding scores a sentence alone only where its answer passes a code and has several
    # sentences; the sentence shown must still be the one a full scoring of every sentence picks
    survey, _ = labelled_survey
    answers = survey["q_experience"].iloc[1000:1060].fillna("").astype(str).tolist()
    from lived_experience.coding.fewshot import sentence_rows

    sentences, owners = sentence_rows(answers)
    result = trained.code_in_context(sentences, answers, owners)
    every_alone = trained.probabilities(sentences)
    whole = trained.answer_probabilities(answers)
    limits = np.array([trained.thresholds_[c] for c in trained.code_ids])
    multi = [a for a in range(len(answers)) if (owners == a).sum() > 1]
    assert multi, "the fixture needs answers with several sentences"
    checked = 0
    for a in range(len(answers)):
        rows = np.flatnonzero(owners == a)
        for c in np.flatnonzero(whole[a] >= limits):
            expected = rows[int(np.argmax(every_alone[rows, c]))]
            assert np.flatnonzero(result.assigned[rows, c]).tolist() == [
                int(np.flatnonzero(rows == expected)[0])
            ]
            checked += len(rows) > 1
        # every sentence carries its answer's score; nothing passes that the answer does not
        assert np.allclose(result.scores[rows], whole[a])
        assert not result.assigned[rows][:, whole[a] < limits].any()
    assert checked > 0
    assert [e for row in result.evidence for e in row if e]  # evidence text where assigned
    assert all(
        bool(result.evidence[r][c]) == bool(result.assigned[r, c])
        for r in range(len(sentences))
        for c in range(len(trained.code_ids))
    )


def test_a_cut_is_fitted_only_where_the_sample_can_learn_the_code(codebook, embedder) -> None:  # type: ignore[no-untyped-def]
    coder = FewShotCoder(codebook, embedder)
    # two examples the held-out models ranked 20th and 30th of 50: the F1-best cut would pass
    # 30 of 50 answers; agreement is at chance, so no cut is fitted (the SVM's own boundary)
    scores = np.linspace(0.9, 0.1, 50)
    y = np.zeros(50, dtype=bool)
    y[[19, 29]] = True
    assert best_cut(y, scores) < scores[28]  # the pathology: a cut below 30 answers
    assert coder._fitted_cut(y, scores) is None
    assert coder._threshold(y, scores) == 0.5
    # ranked first and second: learnable, the cut sits between 2nd and 3rd
    learnable = np.zeros(50, dtype=bool)
    learnable[[0, 1]] = True
    assert coder._fitted_cut(learnable, scores) == pytest.approx((scores[1] + scores[2]) / 2)
    assert coder._fitted_cut(np.eye(1, 50, 3, dtype=bool)[0], scores) is None  # one example
    # the guard can be turned off (the behaviour before it existed)
    unguarded = FewShotCoder(codebook, embedder, learnable_kappa=None)
    assert unguarded._fitted_cut(y, scores) == pytest.approx(best_cut(y, scores))


def test_codes_without_a_fitted_threshold_are_reported(trained) -> None:  # type: ignore[no-untyped-def]
    from lived_experience.coding.train import describe_unfitted_codes, training_summary

    summary = training_summary(trained)
    unfitted = summary["codes_without_fitted_threshold"]
    assert unfitted == trained.unfitted_codes_
    assert set(unfitted) < set(trained.code_ids)
    for code in unfitted:
        assert trained.thresholds_[code] == 0.5
    assert summary["learnable_kappa"] == 0.2
    assert describe_unfitted_codes([], 0.2) is None
    line = describe_unfitted_codes(["tokenism", "speaking_up"], 0.2)
    assert "2 code(s)" in line and "tokenism, speaking_up" in line and "coding-sample" in line
    assert "kappa 0.2" in line


def test_auto_level_keeps_the_level_the_sample_agrees_with_best(  # type: ignore[no-untyped-def]
    codebook, embedder, labelled_survey
) -> None:
    from lived_experience.coding.train import answer_texts, training_summary

    sample, labels = _sample(labelled_survey)
    trained = fit_from_labels(
        codebook, sample, COLUMNS, "respondent_id", labels, embedder, version="fewshot_coder.v3"
    )
    assert (trained.name, trained.level) == ("fewshot_coder.v3", "auto")
    kappas = trained.level_kappas_
    assert set(kappas) == {"answer", "sentence"}
    expected = "sentence" if kappas["sentence"] > kappas["answer"] else "answer"
    assert trained.fitted_level == expected
    summary = training_summary(trained)
    assert summary["level"] == expected and summary["level_expected_kappa"] == kappas
    # the same as fitting the chosen level alone
    alone = FewShotCoder(codebook, embedder, level=expected).fit(
        answer_texts(sample, COLUMNS), [labels[i] for i in sample["respondent_id"]]
    )
    assert alone.thresholds_ == trained.thresholds_
    assert alone.expected_kappa_ == trained.expected_kappa_
    answers = answer_texts(labelled_survey[0].iloc[1000:1030], COLUMNS)
    np.testing.assert_array_equal(alone.predict(answers), trained.predict(answers))


def test_char_ngrams_are_scikit_learns_char_wb(labelled_survey) -> None:  # type: ignore[no-untyped-def]
    import pickle

    from sklearn.feature_extraction.text import TfidfVectorizer

    from lived_experience.coding.fewshot import CharWbNgrams

    survey, _ = labelled_survey
    texts = [
        *survey["q_experience"].iloc[:300],
        *survey["q_improve"].iloc[:300],
        "",
        "a",
        "  I  ",
        "Ünïcode İstanbul STRASSE\ttab\nnew line",
        "ab cd",
    ]
    ours = CharWbNgrams((2, 5))
    reference = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()
    for text in texts + texts:  # the second pass reads every word from the memo
        assert ours(text) == reference(text)
    options = {"sublinear_tf": True, "min_df": 2, "max_features": 60_000}
    a = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), **options).fit(texts)
    b = TfidfVectorizer(analyzer=CharWbNgrams((2, 5)), **options).fit(texts)
    assert a.vocabulary_ == b.vocabulary_
    np.testing.assert_array_equal(a.transform(texts).toarray(), b.transform(texts).toarray())
    restored = pickle.loads(pickle.dumps(b))  # Spark ships fitted coders to its workers
    np.testing.assert_array_equal(restored.transform(texts).toarray(), b.transform(texts).toarray())
    # coding's fast path (each word's vocabulary columns remembered) gives the same matrix,
    # on the fitted texts and on new ones full of words the vocabulary never saw
    unseen = [*survey["q_experience"].iloc[300:500], "Zzyzx qwerty!", "", "   "]
    for batch in (texts, unseen, unseen):  # the last pass reads every word from the memo
        fast = b.analyzer.tfidf(b, batch)
        assert fast.shape == (len(batch), len(b.vocabulary_))
        np.testing.assert_array_equal(fast.toarray(), b.transform(batch).toarray())
    np.testing.assert_array_equal(
        restored.analyzer.tfidf(restored, unseen).toarray(), b.transform(unseen).toarray()
    )


def test_both_levels_judge_by_the_mean_of_their_scores(  # type: ignore[no-untyped-def]
    codebook, embedder, labelled_survey, trained_answer
) -> None:
    import pickle

    from lived_experience.coding.train import answer_texts, training_summary

    sample, labels = _sample(labelled_survey)
    texts = answer_texts(sample, COLUMNS)
    label_sets = [labels[i] for i in sample["respondent_id"]]
    both = fit_from_labels(
        codebook, sample, COLUMNS, "respondent_id", labels, embedder, version="fewshot_coder.v4"
    )
    sentence = FewShotCoder(codebook, embedder, level="sentence").fit(texts, label_sets)
    assert (both.name, both.fitted_level) == ("fewshot_coder.v4", "both")
    assert set(both.state_) == {"answer", "sentence"}
    # the settings file shows what each level would have given
    summary = training_summary(both)
    assert summary["level"] == "both"
    assert summary["level_expected_kappa"]["sentence"] == sentence.expected_kappa_["kappa"]
    assert summary["level_expected_kappa"]["both"] == both.expected_kappa_["kappa"]
    # cuts fitted on the mean of the two levels' out-of-fold scores, the same folds
    np.testing.assert_array_equal(trained_answer.oof_folds_, sentence.oof_folds_)
    np.testing.assert_allclose(
        both.oof_scores_, (trained_answer.oof_scores_ + sentence.oof_scores_) / 2, atol=1e-6
    )
    assert set(both.thresholds_) == set(codebook.code_ids)
    assert both.expected_kappa_["low"] <= both.expected_kappa_["kappa"]
    # new answers: the mean of the whole-answer model and the best sentence's score
    answers = answer_texts(labelled_survey[0].iloc[1000:1030], COLUMNS)
    mean = (
        trained_answer.answer_probabilities(answers) + sentence.answer_probabilities(answers)
    ) / 2
    np.testing.assert_allclose(both.answer_probabilities(answers), mean, atol=1e-6)
    limits = np.array([both.thresholds_[c] for c in both.code_ids])
    np.testing.assert_array_equal(both.predict(answers), mean >= limits - 1e-6)
    # coding shows each code an answer passes on exactly one of its sentences
    held_out = labelled_survey[0].iloc[1000:1030]
    coded = code_frame(held_out, COLUMNS, "respondent_id", both)
    per_answer = coded.segments.groupby(["id", "field", "code"]).size()
    assert len(per_answer) and (per_answer == 1).all()
    assert coded.segments["evidence"].str.contains("whole answer").all()
    # Spark ships fitted coders to its workers
    restored = pickle.loads(pickle.dumps(both))
    np.testing.assert_array_equal(restored.predict(answers), both.predict(answers))


def test_fold_mean_scores_with_the_models_that_fitted_its_cuts(  # type: ignore[no-untyped-def]
    codebook, embedder, labelled_survey, trained
) -> None:
    import pickle

    from lived_experience.coding.train import answer_texts, training_summary

    sample, labels = _sample(labelled_survey)
    texts = answer_texts(sample, COLUMNS)
    v5 = trained
    assert (v5.name, v5.fitted_level, v5.final_model) == ("fewshot_coder.v5", "both", "fold_mean")
    state = v5.state_["answer"]
    assert v5.state_["sentence"] is state  # both levels share the inner folds' models
    assert all(len(models) == v5.folds for models in state["models"].values())
    assert set(v5.level_kappas_) == {"answer", "sentence", "both"}
    summary = training_summary(v5)
    assert summary["level_expected_kappa"]["both"] == v5.expected_kappa_["kappa"]
    assert summary["final_model"] == "fold_mean"
    # each fold's models, scoring the answers that fold held out (whole and sentence by
    # sentence), give exactly the out-of-fold scores its cuts were fitted on
    for k in range(v5.folds):
        rows = np.flatnonzero(v5.oof_folds_ == k)
        fold = {
            "vectorisers": state["vectorisers"],
            "models": {code: [models[k]] for code, models in state["models"].items()},
        }
        again = v5._answer_scores({"answer": fold, "sentence": fold}, [texts[i] for i in rows])
        np.testing.assert_allclose(again, v5.oof_scores_[rows], atol=1e-6)
    # new answers: the mean of the fold models' scores
    answers = answer_texts(labelled_survey[0].iloc[1000:1030], COLUMNS)
    per_fold = []
    for k in range(v5.folds):
        fold = {
            "vectorisers": state["vectorisers"],
            "models": {code: [models[k]] for code, models in state["models"].items()},
        }
        per_fold.append(v5._answer_scores({"answer": fold, "sentence": fold}, answers))
    np.testing.assert_allclose(v5.answer_probabilities(answers), np.mean(per_fold, 0), atol=1e-6)
    # it travels to Spark's workers intact (the same sample, the same coder: see above)
    restored = pickle.loads(pickle.dumps(v5))
    np.testing.assert_array_equal(restored.predict(answers), v5.predict(answers))
    coded = code_frame(labelled_survey[0].iloc[1000:1030], COLUMNS, "respondent_id", v5)
    per_answer = coded.segments.groupby(["id", "field", "code"]).size()
    assert len(per_answer) and (per_answer == 1).all()
    with pytest.raises(ConfigError, match="fold_mean"):
        FewShotCoder(codebook, embedder, level="answer", final_model="fold_mean")
    with pytest.raises(ConfigError, match="final_model"):
        FewShotCoder(codebook, embedder, final_model="bagging")
