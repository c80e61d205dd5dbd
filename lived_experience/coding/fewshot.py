"""The few-shot coder: learns a codebook from a small hand-coded sample (``fewshot_coder.v2``).

Researchers always hand-code a sample to check a codebook; this coder makes the most of it.
Each answer becomes one feature vector that stacks

* its sentence embedding (all-MiniLM-L6-v2, frozen, cached on disk),
* TF-IDF over words and word pairs, and over character 2-5-grams within words (the wording
  people actually use, including the misspellings),
* the codebook rules' score for every code (keyword and pattern matches, negation-aware),

and one class-balanced linear SVM per code (``fewshot_coder.v2``; ``v1``: logistic regression)
is trained on the hand-coded answers **plus the codebook's own examples** (positive for their
code) and the built-in "no code" sentences
(:data:`lived_experience.coding.abstain.NO_CODE_EXAMPLES`, negative for every code), so a
code with one or two hand-coded answers still has something to learn from.

``v2`` judges each answer whole, as it was hand-coded (``level="answer"``), and shows a code on
the sentence of the answer that scores highest for it; ``v1`` scored every sentence and kept
each answer's highest sentence score (``level="sentence"``). ``v3`` (``level="auto"``) fits both
and keeps the one whose cross-validated expected kappa inside the sample is higher. ``v4``
(``level="both"``) fits both and judges every answer by the mean of the two models' scores,
each code's cut fitted on the mean of their out-of-fold scores. On real NHS comments with
category names only, the mean is above either level from 100 comments up; with 50 hand-coded
comments and a codebook's one-sentence examples it is level with ``v3``.

``v5`` (``final_model="fold_mean"``) is ``v4`` without the refit: the
inner cross-validation's models, whose out-of-fold scores fitted the cuts, *are* the final
model (an answer's score is the mean of theirs), and the two levels share them. A model refit
on the whole sample scores higher than the fold models did, so cuts fitted on their scores
passed too many answers: on real NHS comments, 25 of 26 categories were predicted more often
on held-out comments than on the out-of-fold ones with the refit, 16 of 26 with the fold
models' mean. Macro F1 with all training comments 0.628 against 0.626 (five inner folds
each), level at 50-300 comments (within the noise), and fitting 1.3-2.9x faster: no refit, and
one set of models for both levels (``docs/benchmarks_coding.md``).

``v6`` (``fine_tuning``, the ``--train`` default) is ``v5`` reading answers with a copy of
the sentence model fine-tuned on the sample first (:mod:`lived_experience.coding.finetune`):
macro F1 0.652 (against 0.628) on the same real comments, its expected agreement from a nested
cross-validation.

Each code's threshold is fitted by cross-validation *inside the sample* (scores of answers the
model did not see while training, threshold maximising F1) and never on the rows being coded,
and only where the sample can teach the code: with fewer than two examples, or when the best
cut's out-of-fold kappa is below ``learnable_kappa`` (0.2), the code keeps the classifier's own
decision boundary and is listed in ``unfitted_codes_`` (an F1-best cut for a code whose few
examples rank among the other answers passes most answers).
The expected agreement on unseen answers (``expected_agreement_``: per-code Cohen's kappa, and
``expected_kappa_`` with a 95% bootstrap interval) comes from the same out-of-fold scores, with
each fold's thresholds fitted on the *other* folds, so the estimate does not choose its own
thresholds.

Chosen by measurement over ``v1``, a nearest-neighbour model and the frozen-embedding classifier
(``learned_coder.v1``): see ``docs/benchmarks_coding.md``. The options ``classifier="logistic"``,
``pooling="answer_mean_max"`` and ``c_grid`` were measured there too and are off by default
(none beat ``v2``'s settings at 1,000 training comments).

>>> from lived_experience.codebook import load_codebook
>>> coder = FewShotCoder(load_codebook("codebooks/wres_lived_experience.yaml"))
>>> coder.name
'fewshot_coder.v2'
>>> from lived_experience.coding import build_coder
>>> build_coder("fewshot", coder.codebook).name
'fewshot_coder.v6'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lived_experience.codebook import Codebook
from lived_experience.coding.abstain import NO_CODE_EXAMPLES, descriptive_mask
from lived_experience.coding.coders import CodingResult
from lived_experience.coding.embeddings import Embedder
from lived_experience.coding.finetune import FineTuning
from lived_experience.errors import ConfigError, NotFittedError

_THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)
DEFAULT_THRESHOLD = 0.5


def sentence_rows(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Every sentence of ``texts`` and the index of the text it came from.

    A text with no codeable sentence ("N/A", blank) contributes nothing.
    """
    from lived_experience.coding.segments import split_sentences

    frame = pd.DataFrame({"segment_id": [str(i) for i in range(len(texts))], "text": list(texts)})
    sentences = split_sentences(frame)
    return sentences["sentence"].tolist(), sentences["segment_id"].astype(int).to_numpy()


class CharWbNgrams:
    """scikit-learn's ``analyzer="char_wb"`` (the text lower-cased, character n-grams inside
    each whitespace-separated word, padded with a space at both ends), with each word's n-grams
    computed once and reused: thousands of sentences share their words, so coding 10,000
    answers spends far less time in Python-level n-gram loops. Same n-grams, same order, so the
    same features (``tests/coding/test_fewshot.py`` checks it against scikit-learn)."""

    MEMO_WORDS = 200_000

    def __init__(self, ngram_range: tuple[int, int] = (2, 5)) -> None:
        self.ngram_range = ngram_range
        self._memo: dict[str, tuple[str, ...]] = {}

    def _word(self, word: str) -> tuple[str, ...]:
        low, high = self.ngram_range
        padded = f" {word} "
        grams: list[str] = []
        for n in range(low, high + 1):
            last = max(len(padded) - n, 0)
            grams.extend(padded[i : i + n] for i in range(last + 1))
            if last == 0:  # a word shorter than n counts once, as in scikit-learn
                break
        return tuple(grams)

    def __call__(self, text: str) -> list[str]:
        out: list[str] = []
        memo = self._memo
        for word in text.lower().split():
            grams = memo.get(word)
            if grams is None:
                if len(memo) >= self.MEMO_WORDS:
                    memo.clear()
                grams = memo[word] = self._word(word)
            out.extend(grams)
        return out

    def tfidf(self, vectoriser: Any, texts: Sequence[str]) -> Any:
        """``vectoriser.transform(texts)`` for a ``TfidfVectorizer`` fitted with this analyzer,
        built from each word's vocabulary columns (remembered per word) instead of a
        dictionary lookup per n-gram: the same counts, then the same sublinear tf, idf and
        norm steps as scikit-learn's, so the same matrix (tested)."""
        from scipy import sparse
        from sklearn.preprocessing import normalize

        vocabulary = vectoriser.vocabulary_
        if getattr(self, "_columns_of", None) is not vocabulary:
            self._columns_of = vocabulary
            self._columns: dict[str, np.ndarray] = {}
        memo = self._columns
        pieces: list[np.ndarray] = []
        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        for row, text in enumerate(texts):
            total = 0
            for word in str(text).lower().split():
                columns = memo.get(word)
                if columns is None:
                    if len(memo) >= self.MEMO_WORDS:
                        memo.clear()
                    known = [vocabulary[g] for g in self._word(word) if g in vocabulary]
                    columns = memo[word] = np.array(known, dtype=np.int64)
                pieces.append(columns)
                total += len(columns)
            indptr[row + 1] = indptr[row] + total
        indices = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)
        x = sparse.csr_matrix(
            (np.ones(len(indices), dtype=np.float64), indices, indptr),
            shape=(len(texts), len(vocabulary)),
        )
        x.sum_duplicates()  # sorted columns, each word's n-grams added up: the counts
        if vectoriser.sublinear_tf:
            np.log(x.data, x.data)
            x.data += 1.0
        if vectoriser.use_idf:
            x.data *= vectoriser.idf_[x.indices]
        if vectoriser.norm is not None:
            x = normalize(x, norm=vectoriser.norm, copy=False)
        return x

    def __getstate__(self) -> dict[str, Any]:  # the memos are caches: never pickled
        return {"ngram_range": self.ngram_range}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.ngram_range = tuple(state["ngram_range"])  # type: ignore[assignment]
        self._memo = {}


def codebook_rows(codebook: Codebook) -> tuple[list[str], list[set[str]]]:
    """The codebook as labelled rows: each code's "label. definition" and each of its
    examples, labelled with that code, then the built-in "no code" sentences, labelled with
    nothing."""
    texts: list[str] = []
    labels: list[set[str]] = []
    for code in codebook.codes:
        for text in (f"{code.label}. {code.definition}", *code.examples):
            texts.append(text)
            labels.append({code.id})
    for text in NO_CODE_EXAMPLES:
        texts.append(text)
        labels.append(set())
    return texts, labels


def roll_up(scores: np.ndarray, owners: np.ndarray, n: int) -> np.ndarray:
    """Highest sentence score per text (0 for texts without sentences)."""
    out = np.zeros((n, scores.shape[1]), dtype=np.float32)
    if len(owners):
        np.maximum.at(out, owners, scores)
    return out


def best_threshold(y: np.ndarray, scores: np.ndarray) -> float:
    """The grid threshold with the highest F1 of ``scores >= t`` against ``y`` (ties: lower)."""
    positives = y.astype(bool)
    best, best_f1 = DEFAULT_THRESHOLD, -1.0
    for t in _THRESHOLD_GRID:
        hit = scores >= t
        tp = float(np.sum(hit & positives))
        denominator = float(hit.sum() + positives.sum())
        f1 = 2 * tp / denominator if denominator else 0.0
        if f1 > best_f1 + 1e-12:
            best, best_f1 = float(t), f1
    return best


def best_cut(y: np.ndarray, scores: np.ndarray) -> float:
    """The cut with the highest F1 of ``scores >= cut`` against ``y``, checked between every
    pair of neighbouring scores (for scores without a natural grid, such as SVC margins)."""
    order = np.argsort(-scores, kind="stable")
    ranked, hits = scores[order], y[order].astype(float)
    if not hits.sum():
        return DEFAULT_THRESHOLD
    f1 = 2 * np.cumsum(hits) / (np.arange(1, len(y) + 1) + hits.sum())
    k = int(np.argmax(f1))
    below = float(ranked[k + 1]) if k + 1 < len(ranked) else 0.0
    return float((float(ranked[k]) + below) / 2)


def _best_f1(y: np.ndarray, scores: np.ndarray) -> float:
    """The highest F1 any cut of ``scores`` reaches against ``y`` (0 without positives)."""
    hits = y[np.argsort(-scores, kind="stable")].astype(float)
    if not hits.sum():
        return 0.0
    return float(np.max(2 * np.cumsum(hits) / (np.arange(1, len(y) + 1) + hits.sum())))


def _kappa(y: np.ndarray, predicted: np.ndarray) -> float:
    y, predicted = y.astype(bool), predicted.astype(bool)
    n = len(y)
    if n == 0:
        return float("nan")
    observed = float(np.mean(y == predicted))
    p_y, p_p = float(y.mean()), float(predicted.mean())
    expected = p_y * p_p + (1 - p_y) * (1 - p_p)
    if expected >= 1:
        return 1.0 if observed == 1 else 0.0
    return (observed - expected) / (1 - expected)


@dataclass
class FewShotCoder:
    """Stacked embedding + TF-IDF + rule features, one linear classifier per code.

    Parameters
    ----------
    codebook:
        Its codes are the outputs; its examples (and rules) are training data when
        ``use_codebook`` is true.
    embedder:
        Sentence embeddings (cached).
    c:
        Inverse regularisation strength of each code's logistic regression.
    embedding_weight:
        Scale of the embedding block against the TF-IDF blocks.
    use_codebook:
        Add the codebook's examples, definitions and rule scores, and the "no code" sentences.
    folds:
        Cross-validation folds inside the sample (thresholds, expected agreement).
    pooling:
        ``"answer"``: the whole answer's embedding; ``"answer_mean_max"``: also the mean and
        the element-wise maximum of its sentences' embeddings (a long answer's one strong
        sentence is not averaged away); ``"sentence_mean"``: the mean of its sentences'
        embeddings *instead of* the whole answer's (no answer is embedded whole: coding
        embeds each sentence anyway, and repeated sentences come from the cache).
    c_grid:
        When given, each code's ``C`` is chosen from these values by the same inner
        cross-validation that fits its cut (the value whose out-of-fold scores give the best
        F1); otherwise every code uses ``c``.
    rule_features:
        Add the codebook rules' score for every code as features (``None``: when
        ``use_codebook``). The codebook-trained coder trains *on* the codebook's rows, so it
        sets ``use_codebook=False`` (no second copy of them) and ``rule_features=True``.
    learnable_kappa:
        A code's cut is fitted only where the best cut's out-of-fold Cohen's kappa reaches
        this (0.2: better than "slight" agreement); below it, or with fewer than two examples
        of the code, the code keeps the classifier's own decision boundary and is listed in
        ``unfitted_codes_``. ``None``: always fit (as before 2026-11-29).
    final_model:
        ``"refit"``: after the inner cross-validation, one model per code is fitted on the
        whole sample (``v2``-``v4``). ``"fold_mean"`` (``v5``, with ``level="both"``): no
        refit; an answer's score is the mean of the inner folds' models' scores, the models
        whose out-of-fold scores fitted the cuts (a refit on more rows scores higher than they
        did, so cuts fitted on their scores passed too many answers), and the whole-answer
        and sentence levels share those models.
    fine_tuning:
        ``v6``: fine-tune a copy of the sentence model on the sample first
        (:mod:`lived_experience.coding.finetune`) and read answers with it
        (``tuned_embedder_``); ``None``: the frozen model.
    nested_estimate_max:
        With ``fine_tuning``, samples up to this many answers get their expected agreement
        from a nested cross-validation (each fold coded by a model fine-tuned without it);
        larger ones report the inner folds' figure, which is optimistic
        (``expected_kappa_method_``).
    """

    codebook: Codebook
    embedder: Embedder = field(default_factory=Embedder)
    c: float = 0.5
    embedding_weight: float = 1.5
    use_codebook: bool = True
    folds: int = 5
    random_state: int = 0
    level: str = "answer"
    classifier: str = "linear_svc"
    pooling: str = "answer"
    c_grid: tuple[float, ...] = ()
    learnable_kappa: float | None = 0.2
    rule_features: bool | None = None
    final_model: str = "refit"
    fine_tuning: FineTuning | None = None
    nested_estimate_max: int = 1000
    name: str = "fewshot_coder.v2"

    def __post_init__(self) -> None:
        if self.level not in ("answer", "sentence", "both", "auto"):
            raise ConfigError(
                "few-shot coder level must be 'answer', 'sentence', 'both' or 'auto', not "
                f"'{self.level}'."
            )
        if self.classifier not in ("linear_svc", "logistic"):
            raise ConfigError(
                "few-shot coder classifier must be 'linear_svc' or 'logistic', not "
                f"'{self.classifier}'."
            )
        if self.pooling not in ("answer", "answer_mean_max", "sentence_mean"):
            raise ConfigError(
                "few-shot coder pooling must be 'answer', 'answer_mean_max' or "
                f"'sentence_mean', not '{self.pooling}'."
            )
        if self.c_grid and self.level not in ("answer", "auto", "both"):
            raise ConfigError("few-shot coder c_grid needs level 'answer'.")
        if self.final_model not in ("refit", "fold_mean"):
            raise ConfigError(
                "few-shot coder final_model must be 'refit' or 'fold_mean', not "
                f"'{self.final_model}'."
            )
        if self.final_model == "fold_mean" and self.level != "both":
            raise ConfigError("few-shot coder final_model 'fold_mean' needs level 'both'.")
        self.c_grid = tuple(float(c) for c in self.c_grid)
        self.code_ids = self.codebook.code_ids

    # -- features ---------------------------------------------------------------------------
    def _vectorisers(self) -> tuple[Any, Any]:
        from sklearn.feature_extraction.text import TfidfVectorizer

        words = TfidfVectorizer(
            ngram_range=(1, 2), sublinear_tf=True, min_df=1, strip_accents="unicode"
        )
        chars = TfidfVectorizer(
            analyzer=CharWbNgrams((2, 5)), sublinear_tf=True, min_df=2, max_features=60_000
        )
        return words, chars

    def _features(self, texts: Sequence[str], vectorisers: tuple[Any, Any], fit: bool) -> Any:
        from scipy import sparse

        words, chars = vectorisers
        texts = list(texts)
        if fit:
            w, ch = words.fit_transform(texts), chars.fit_transform(texts)
        else:
            w = words.transform(texts)
            analyzer = chars.analyzer
            ch = (
                analyzer.tfidf(chars, texts)
                if isinstance(analyzer, CharWbNgrams)
                else chars.transform(texts)
            )
        blocks = [w, ch]
        if self.pooling == "sentence_mean":
            pooled = self._sentence_pool(texts)
            vectors = pooled[:, : pooled.shape[1] // 2]
        elif texts:
            vectors = self.reader.embed(texts)
        else:
            vectors = np.zeros((0, self._width()), dtype=np.float32)
        blocks.append(sparse.csr_matrix(vectors * self.embedding_weight))
        if self.pooling == "answer_mean_max":
            blocks.append(sparse.csr_matrix(self._sentence_pool(texts) * self.embedding_weight))
        if self.use_codebook if self.rule_features is None else self.rule_features:
            from lived_experience.coding.rules import RuleCoder

            if not hasattr(self, "_rules"):
                self._rules = RuleCoder(self.codebook)
            rule_scores, _ = self._rules.score(texts)
            blocks.append(sparse.csr_matrix(np.asarray(rule_scores, dtype=np.float32)))
        return sparse.hstack(blocks, format="csr")

    @property
    def reader(self) -> Embedder:
        """The embedder answers are read with: the fine-tuned one once a ``v6`` is fitted."""
        tuned: Embedder | None = getattr(self, "tuned_embedder_", None)
        return self.embedder if tuned is None else tuned

    def _width(self) -> int:
        """The embedding model's vector width (384 for all-MiniLM-L6-v2), asked once."""
        if not hasattr(self, "_embedding_width"):
            self._embedding_width = int(self.reader.embed(["width"]).shape[1])
        return self._embedding_width

    def _sentence_pool(self, texts: list[str]) -> np.ndarray:
        """Mean and element-wise maximum of each text's sentence embeddings (0 without any)."""
        sentences, owners = sentence_rows(texts)
        if not sentences:
            return np.zeros((len(texts), 2 * self._width()), dtype=np.float32)
        vectors = np.asarray(self.reader.embed(sentences), dtype=np.float32)
        width = vectors.shape[1]
        total = np.zeros((len(texts), width), dtype=np.float32)
        np.add.at(total, owners, vectors)
        counts = np.bincount(owners, minlength=len(texts)).astype(np.float32)
        mean = total / np.maximum(counts, 1.0)[:, None]
        top = np.full((len(texts), width), -np.inf, dtype=np.float32)
        np.maximum.at(top, owners, vectors)
        top[counts == 0] = 0.0
        return np.hstack([mean, top])

    def _codebook_rows(self) -> tuple[list[str], list[set[str]]]:
        return codebook_rows(self.codebook) if self.use_codebook else ([], [])

    def _design(
        self, texts: Sequence[str], label_sets: Sequence[set[str]]
    ) -> tuple[tuple[Any, Any], Any, np.ndarray]:
        """Vectorisers fitted on ``texts`` plus the codebook's rows, their features, labels."""
        book_texts, book_labels = self._codebook_rows()
        all_texts = [*texts, *book_texts]
        all_labels = [*label_sets, *book_labels]
        vectorisers = self._vectorisers()
        x = self._features(all_texts, vectorisers, fit=True)
        y = np.array([[c in labels for c in self.code_ids] for labels in all_labels], dtype=int)
        return vectorisers, x, y.reshape(len(all_labels), len(self.code_ids))

    def _fit_models(
        self, x: Any, y: np.ndarray, c: float | dict[str, float] | None = None
    ) -> dict[str, Any]:
        """One classifier per code that has both positive and negative rows (``c``: one
        value for every code, or one per code; default ``self.c``)."""
        import warnings

        from sklearn.exceptions import ConvergenceWarning
        from sklearn.linear_model import LogisticRegression
        from sklearn.svm import LinearSVC

        models: dict[str, Any] = {}
        for i, code in enumerate(self.code_ids):
            column = y[:, i]
            if not 0 < column.sum() < len(column):
                continue
            strength = self.c if c is None else c.get(code, self.c) if isinstance(c, dict) else c
            if self.classifier == "linear_svc":
                model: Any = LinearSVC(
                    C=strength, class_weight="balanced", random_state=self.random_state
                )
            else:
                model = LogisticRegression(
                    C=strength, class_weight="balanced", solver="liblinear", max_iter=2000
                )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                models[code] = model.fit(x, column)
        return models

    def _train(self, texts: Sequence[str], label_sets: Sequence[set[str]]) -> dict[str, Any]:
        """Fit vectorisers and per-code models on ``texts`` plus the codebook's rows."""
        vectorisers, x, y = self._design(texts, label_sets)
        return {"vectorisers": vectorisers, "models": self._fit_models(x, y)}

    def _scores(
        self, state: dict[str, Any], texts: Sequence[str], by_fold: bool = False
    ) -> np.ndarray:
        """Per-code scores of ``texts``, each distinct text scored once. ``by_fold``: one
        array per inner fold's models, stacked (``final_model="fold_mean"``; a single final
        model is one "fold"), so that a caller can take each fold model's highest sentence
        before the mean, as an answer's out-of-fold score was one model's highest."""
        texts = [str(t) for t in texts]
        repeat, distinct = pd.factorize(pd.Series(texts, dtype=object), sort=False)
        unique = [str(t) for t in distinct]
        x = self._features(unique, state["vectorisers"], fit=False) if unique else None
        per_fold = self._fold_scores(state, x, unique)[:, repeat]
        return per_fold if by_fold else per_fold.mean(axis=0)

    def _scores_of(self, state: dict[str, Any], x: Any, texts: Sequence[str]) -> np.ndarray:
        """Per-code scores of feature rows ``x`` (the features of ``texts``): each code's model
        or (``final_model="fold_mean"``) the mean of the inner folds' models, where a fold
        whose training rows lacked the code scores 0."""
        return self._fold_scores(state, x, texts).mean(axis=0)

    def _fold_scores(self, state: dict[str, Any], x: Any, texts: Sequence[str]) -> np.ndarray:
        """Scores of feature rows ``x`` by each fold's models, shape (folds, rows, codes): one
        fold for a single final model; 0 where a fold (or the whole sample) lacked a code."""
        fitted = [state["models"].get(code) for code in self.code_ids]
        folds = max((len(m) for m in fitted if isinstance(m, list)), default=1)
        out = np.zeros((folds, len(texts), len(self.code_ids)), dtype=np.float32)
        places: list[tuple[int, int]] = []
        models: list[Any] = []
        for i, several in enumerate(fitted):
            for k, model in enumerate(several if isinstance(several, list) else [several]):
                if model is not None:
                    places.append((k, i))
                    models.append(model)
        if not models or not len(texts):
            return out
        fold_of, code_of = (np.array(column) for column in zip(*places, strict=True))
        if self.classifier == "linear_svc":
            # every model's margin in one sparse-dense product, squashed into 0-1
            weights = np.vstack([m.coef_.ravel() for m in models]).T
            intercepts = np.array([float(m.intercept_[0]) for m in models])
            margins = np.asarray(x @ weights) + intercepts
            out[fold_of, :, code_of] = (1.0 / (1.0 + np.exp(-margins))).T
        else:
            for k, i, model in zip(fold_of, code_of, models, strict=True):
                out[k, :, i] = model.predict_proba(x)[:, 1]
        out[:, descriptive_mask(texts)] = 0.0
        return out

    def _fitted_cut(self, y: np.ndarray, scores: np.ndarray) -> float | None:
        """The cut with the best F1 on out-of-fold ``scores``, or None when the sample cannot
        fit one: fewer than two answers with the code, or (``learnable_kappa``) the best cut's
        agreement with ``y`` is no better than that. A code whose few examples the held-out
        models rank among the others would otherwise get a cut low enough to pass most
        answers (F1 then prefers "everyone has it" to missing its examples)."""
        if y.sum() < 2:
            return None
        cut = best_cut(y, scores) if self.classifier == "linear_svc" else best_threshold(y, scores)
        if self.learnable_kappa is not None and _kappa(y, scores >= cut) < self.learnable_kappa:
            return None
        return cut

    def _threshold(self, y: np.ndarray, scores: np.ndarray) -> float:
        """The fitted cut, or the classifier's own decision boundary (margin 0 / p 0.5)."""
        cut = self._fitted_cut(y, scores)
        return DEFAULT_THRESHOLD if cut is None else cut

    def _answer_scores(
        self,
        state: dict[str, Any],
        texts: Sequence[str],
        x: Any = None,
        codeable: np.ndarray | None = None,
    ) -> np.ndarray:
        """Per-code scores of whole answers (``x``: their features, when already built;
        ``codeable``: which answers have a codeable sentence, when already known)."""
        if not len(texts):
            return np.zeros((0, len(self.code_ids)), dtype=np.float32)
        if self.fitted_level == "both":
            # the mean of the whole-answer model's score and the sentence model's highest
            # sentence score
            sentences, owners = sentence_rows(texts)
            if codeable is None:
                codeable = np.isin(np.arange(len(texts)), owners)
            whole = self._whole_answer_scores(state["answer"], texts, x, codeable)
            parts = np.mean(
                [
                    roll_up(scores, owners, len(texts))
                    for scores in self._scores(state["sentence"], sentences, by_fold=True)
                ],
                axis=0,
            )
            return (whole + parts) / 2
        if self.fitted_level == "answer":
            # the whole answer is one unit, as it was hand-coded; an answer without a
            # codeable sentence ("N/A", blank) scores 0 like it does at sentence level
            return self._whole_answer_scores(state, texts, x, codeable)
        sentences, owners = sentence_rows(texts)
        return roll_up(self._scores(state, sentences), owners, len(texts))

    def _whole_answer_scores(
        self,
        state: dict[str, Any],
        texts: Sequence[str],
        x: Any = None,
        codeable: np.ndarray | None = None,
    ) -> np.ndarray:
        """Scores of each whole answer as one unit (0 for one without a codeable sentence)."""
        if codeable is None:
            _, owners = sentence_rows(texts)
            codeable = np.isin(np.arange(len(texts)), owners)
        if x is None:
            x = self._features(texts, state["vectorisers"], fit=False)
        scores = self._scores_of(state, x, texts)
        scores[~np.asarray(codeable, dtype=bool)] = 0.0
        return scores

    # -- scikit-learn style interface -------------------------------------------------------
    def fit(self, texts: Sequence[str], label_sets: Sequence[set[str]]) -> FewShotCoder:
        """Train on whole answers and their hand-coded label sets; fit thresholds by CV."""
        from sklearn.model_selection import KFold

        texts = [str(t) for t in texts]
        label_sets = [set(s) for s in label_sets]
        if len(texts) != len(label_sets):
            raise ConfigError("fit: texts and label sets differ in length.")
        if len(texts) < 10:
            raise ConfigError(
                f"the few-shot coder needs at least 10 hand-coded answers; got {len(texts)}. "
                "Fix: code more answers (lived-experience coding-sample picks them)."
            )
        unknown = sorted({c for s in label_sets for c in s} - set(self.code_ids))
        if unknown:
            raise ConfigError(
                f"the hand-coded sample uses codes the codebook lacks: {', '.join(unknown)}. "
                f"Codes: {', '.join(self.code_ids)}."
            )
        if self.fine_tuning is not None:
            from lived_experience.coding.finetune import fit_fine_tuned

            return self._adopt_fine_tuned(*fit_fine_tuned(self, texts, label_sets))
        if self.final_model == "fold_mean":
            return self._fit_fold_mean(texts, label_sets)
        if self.level in ("auto", "both"):
            return self._fit_either_level(texts, label_sets)
        y = np.array([[c in s for c in self.code_ids] for s in label_sets], dtype=bool)
        folds = min(self.folds, len(texts))
        grid = self.c_grid or (self.c,)
        oofs = np.zeros((len(grid), *y.shape), dtype=np.float32)
        fold_of = np.zeros(len(texts), dtype=int)
        splitter = KFold(folds, shuffle=True, random_state=self.random_state)
        shared = None
        if self.level == "answer":
            # v2: the vocabulary comes from the whole sample's text (never its labels), once;
            # the codebook's rows train every fold's models, and a held-out fold's features
            # are the rows already built for it
            shared = self._design(texts, label_sets)
        for k, (train, test) in enumerate(splitter.split(texts)):
            held_out = [texts[i] for i in test]
            if shared is None:
                state = self._train([texts[i] for i in train], [label_sets[i] for i in train])
                oofs[0][test] = self._answer_scores(state, held_out)
            else:
                rows = np.concatenate([train, np.arange(len(texts), shared[1].shape[0])])
                for g, strength in enumerate(grid):
                    state = {
                        "vectorisers": shared[0],
                        "models": self._fit_models(shared[1][rows], shared[2][rows], strength),
                    }
                    oofs[g][test] = self._answer_scores(state, held_out, shared[1][test])
            fold_of[test] = k
        # each code's C (when there is a grid): the one whose out-of-fold scores fit best
        chosen = [
            int(np.argmax([_best_f1(y[:, c], oofs[g][:, c]) for g in range(len(grid))]))
            for c in range(len(self.code_ids))
        ]
        self.c_by_code_ = {code: grid[chosen[c]] for c, code in enumerate(self.code_ids)}
        oof = np.stack([oofs[chosen[c]][:, c] for c in range(len(self.code_ids))], axis=1)
        self._fit_cuts(y, oof.reshape(y.shape), fold_of)
        if shared is None:
            self.state_ = self._train(texts, label_sets)
        else:
            self.state_ = {
                "vectorisers": shared[0],
                "models": self._fit_models(*shared[1:], dict(self.c_by_code_)),
            }
        self.n_train_ = len(texts)
        return self

    def _fit_cuts(self, y: np.ndarray, oof: np.ndarray, fold_of: np.ndarray) -> None:
        """Each code's cut from the out-of-fold scores ``oof`` of the sample's answers ``y``
        (``fold_of``: the fold each answer was held out in), and the expected agreement."""
        folds = int(fold_of.max()) + 1 if len(fold_of) else 0
        cuts = {code: self._fitted_cut(y[:, c], oof[:, c]) for c, code in enumerate(self.code_ids)}
        # codes the sample could not fit a cut for keep the classifier's own boundary
        self.thresholds_ = {
            code: DEFAULT_THRESHOLD if cut is None else cut for code, cut in cuts.items()
        }
        self.unfitted_codes_ = [code for code, cut in cuts.items() if cut is None]
        # Honest estimate: each fold judged with thresholds fitted on the other folds.
        predicted = np.zeros(y.shape, dtype=bool)
        for k in range(folds):
            inside, outside = fold_of == k, fold_of != k
            for c in range(len(self.code_ids)):
                t = self._threshold(y[outside, c], oof[outside, c])
                predicted[inside, c] = oof[inside, c] >= t
        self.oof_scores_ = oof
        self.oof_folds_ = fold_of
        self.expected_agreement_ = agreement_by_code(self.code_ids, y, predicted)
        self.expected_kappa_ = expected_kappa_interval(y, predicted, seed=self.random_state)

    def _adopt_fine_tuned(
        self,
        tuned: Embedder,
        inner: FewShotCoder,
        nested: tuple[pd.DataFrame, dict[str, float]] | None,
    ) -> FewShotCoder:
        """``v6``: ``inner``'s fitted state (``v5`` on the ``tuned`` embedder), answers read with
        ``tuned`` from now on, and the nested estimate of agreement where there is one (a
        refit starts again from ``embedder``)."""
        vars(self).update({k: v for k, v in vars(inner).items() if k.endswith("_")})
        self.tuned_embedder_ = tuned
        self.inner_expected_kappa_ = dict(inner.expected_kappa_)
        self.expected_kappa_method_ = "inner" if nested is None else "nested"
        if nested is not None:
            self.expected_agreement_, self.expected_kappa_ = nested
        return self

    @property
    def fitted_level(self) -> str:
        """The level this coder judges at: ``level``, or with ``"auto"`` the one chosen."""
        return getattr(self, "level_", self.level)

    def _fit_either_level(self, texts: list[str], label_sets: list[set[str]]) -> FewShotCoder:
        """Fit at answer and at sentence level; ``level="both"`` (``v4``) judges by the mean
        of the two models' scores, ``level="auto"`` (``v3``) keeps the level whose
        cross-validated expected kappa inside the sample is higher (ties: answer)."""
        import dataclasses

        fitted = {
            level: dataclasses.replace(
                self, level=level, c_grid=self.c_grid if level == "answer" else ()
            ).fit(texts, label_sets)
            for level in ("answer", "sentence")
        }
        levels: tuple[str, ...] = ("answer", "sentence")
        if self.level == "both":
            levels = ("both",)
            fitted["both"] = self._mean_of_levels(fitted["answer"], fitted["sentence"], label_sets)
        # every fitted level's expected kappa (the settings file shows what each would give)
        kappas = {level: float(coder.expected_kappa_["kappa"]) for level, coder in fitted.items()}
        chosen = max(
            levels, key=lambda level: -np.inf if np.isnan(kappas[level]) else kappas[level]
        )
        vars(self).update({k: v for k, v in vars(fitted[chosen]).items() if k.endswith("_")})
        self.level_ = chosen
        self.level_kappas_ = kappas
        return self

    def _mean_of_levels(
        self, answer: FewShotCoder, sentence: FewShotCoder, label_sets: list[set[str]]
    ) -> FewShotCoder:
        """Both fitted models judging together: the mean of their scores, each code's cut
        fitted on the mean of their out-of-fold scores (the same folds)."""
        import dataclasses

        if not np.array_equal(answer.oof_folds_, sentence.oof_folds_):  # pragma: no cover
            raise AssertionError("the two levels were cross-validated on different folds")
        both = dataclasses.replace(self, level="both")
        y = np.array([[c in s for c in self.code_ids] for s in label_sets], dtype=bool)
        both._fit_cuts(y, (answer.oof_scores_ + sentence.oof_scores_) / 2, answer.oof_folds_)
        both.state_ = {"answer": answer.state_, "sentence": sentence.state_}
        both.c_by_code_ = dict(answer.c_by_code_)
        both.n_train_ = answer.n_train_
        return both

    def _fit_fold_mean(self, texts: list[str], label_sets: list[set[str]]) -> FewShotCoder:
        """``v5``: one design (vocabulary from the whole sample's text, never its labels, plus
        the codebook's rows in every fold's training rows); each inner fold's models score its
        held-out answers whole and sentence by sentence (each answer's highest sentence);
        each code's cut is fitted on the mean of the two out-of-fold scores; the fold models
        are the final model (their mean score), shared by both levels."""
        import dataclasses

        from sklearn.model_selection import KFold

        y = np.array([[c in s for c in self.code_ids] for s in label_sets], dtype=bool)
        folds = min(self.folds, len(texts))
        grid = self.c_grid or (self.c,)
        vectorisers, x, design_y = self._design(texts, label_sets)
        book = np.arange(len(texts), x.shape[0])
        sentences, owners = sentence_rows(texts)
        codeable = np.isin(np.arange(len(texts)), owners)
        x_sentences = self._features(sentences, vectorisers, fit=False) if sentences else None
        whole = np.zeros((len(grid), *y.shape), dtype=np.float32)
        parts = np.zeros((len(grid), *y.shape), dtype=np.float32)
        fold_models: list[list[dict[str, Any]]] = [[] for _ in grid]
        fold_of = np.zeros(len(texts), dtype=int)
        splitter = KFold(folds, shuffle=True, random_state=self.random_state)
        for k, (train, test) in enumerate(splitter.split(texts)):
            rows = np.concatenate([train, book])
            held = np.flatnonzero(np.isin(owners, test))
            for g, strength in enumerate(grid):
                state: dict[str, Any] = {
                    "vectorisers": vectorisers,
                    "models": self._fit_models(x[rows], design_y[rows], strength),
                }
                fold_models[g].append(state["models"])
                whole[g][test] = self._whole_answer_scores(
                    state, [texts[i] for i in test], x[test], codeable[test]
                )
                if len(held) and x_sentences is not None:
                    scores = self._scores_of(state, x_sentences[held], [sentences[i] for i in held])
                    parts[g] += roll_up(scores, owners[held], len(texts))
            fold_of[test] = k
        mean = (whole + parts) / 2
        chosen = [
            int(np.argmax([_best_f1(y[:, c], mean[g][:, c]) for g in range(len(grid))]))
            for c in range(len(self.code_ids))
        ]
        self.c_by_code_ = {code: grid[chosen[c]] for c, code in enumerate(self.code_ids)}

        def pick(scores: np.ndarray) -> np.ndarray:
            return np.stack([scores[chosen[c]][:, c] for c in range(len(self.code_ids))], axis=1)

        # every level's expected kappa from the same out-of-fold scores (the settings file
        # shows what each would give); the coder judges by their mean
        kappas: dict[str, float] = {}
        for level, oof in (("answer", pick(whole)), ("sentence", pick(parts))):
            alone = dataclasses.replace(self, level=level, final_model="refit")
            alone._fit_cuts(y, oof.reshape(y.shape), fold_of)
            kappas[level] = float(alone.expected_kappa_["kappa"])
        self._fit_cuts(y, pick(mean).reshape(y.shape), fold_of)
        kappas["both"] = float(self.expected_kappa_["kappa"])
        # a fold whose training rows lacked a code has no model for it and scored its held-out
        # answers 0 for it: so does its place in the mean
        models = {
            code: [fold.get(code) for fold in fold_models[chosen[c]]]
            for c, code in enumerate(self.code_ids)
        }
        state = {
            "vectorisers": vectorisers,
            "models": {c: m for c, m in models.items() if any(f is not None for f in m)},
        }
        self.state_ = {"answer": state, "sentence": state}
        self.level_ = "both"
        self.level_kappas_ = kappas
        self.n_train_ = len(texts)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "state_"):
            raise NotFittedError(
                "the few-shot coder has not been trained. Fix: call fit() with a hand-coded "
                "sample, or pass --train LABELS.csv (or the coding-sample sheet) to `code`."
            )

    def probabilities(self, sentences: Sequence[str]) -> np.ndarray:
        """Per-code probabilities for each sentence (0 for descriptive-only sentences)."""
        self._check_fitted()
        if self.fitted_level == "both":
            sentences = list(sentences)
            whole = self._scores(self.state_["answer"], sentences)
            return (whole + self._scores(self.state_["sentence"], sentences)) / 2
        return self._scores(self.state_, list(sentences))

    def answer_probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Per-code scores for whole answers: the highest score of any of their sentences."""
        self._check_fitted()
        return self._answer_scores(self.state_, list(texts))

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """Boolean (answers x codes) assignments for whole answers."""
        scores = self.answer_probabilities(texts)
        limits = np.array([self.thresholds_[c] for c in self.code_ids], dtype=np.float32)
        return scores >= limits

    def code(self, sentences: Sequence[str]) -> CodingResult:
        scores = self.probabilities(sentences)
        limits = np.array([self.thresholds_[c] for c in self.code_ids], dtype=np.float32)
        assigned = scores >= limits
        evidence = [
            [
                f"few-shot model p={scores[r, c]:.2f} (threshold {limits[c]:.3f})"
                if assigned[r, c]
                else ""
                for c in range(len(self.code_ids))
            ]
            for r in range(len(sentences))
        ]
        return CodingResult(self.code_ids, scores, assigned, evidence)

    def code_in_context(
        self, sentences: Sequence[str], answers: Sequence[str], owners: np.ndarray
    ) -> CodingResult:
        """Code sentences as parts of their answers (``level="answer"``).

        Answer ``owners[i]`` of ``answers`` holds sentence ``i``. Each answer is scored whole,
        as it was hand-coded; a code it passes is shown on the sentence of that answer that
        scores highest for the code on its own (the evidence a quote is drawn from), and every
        sentence carries its answer's score. With ``level="sentence"`` this is :meth:`code`.
        """
        if self.fitted_level == "sentence":
            return self.code(sentences)
        self._check_fitted()
        owners = np.asarray(owners, dtype=int)
        sentences = list(sentences)
        counts = np.bincount(owners, minlength=len(answers))
        whole = self._answer_scores(self.state_, list(answers), codeable=counts > 0)
        limits = np.array([self.thresholds_[c] for c in self.code_ids], dtype=np.float32)
        passed = whole >= limits
        shape = (len(sentences), len(self.code_ids))
        scores = whole[owners] if len(owners) else np.zeros(shape, dtype=np.float32)
        # a sentence is scored alone only where that can change which sentence shows a code:
        # its answer passes a code and has more than one sentence
        contested = passed.any(axis=1) & (counts > 1)
        needed = np.flatnonzero(contested[owners])
        alone = np.zeros(shape, dtype=np.float32)
        if len(needed):
            alone[needed] = self.probabilities([sentences[i] for i in needed])
        assigned = np.zeros(shape, dtype=bool)
        order = np.argsort(owners, kind="stable")
        every = np.arange(len(answers))
        starts = np.searchsorted(owners[order], every, side="left")
        ends = np.searchsorted(owners[order], every, side="right")
        for answer, c in zip(*np.nonzero(passed), strict=True):
            rows = order[starts[answer] : ends[answer]]
            if len(rows):
                assigned[rows[int(np.argmax(alone[rows, c]))], c] = True
        evidence = [[""] * len(self.code_ids) for _ in range(len(sentences))]
        for r, c in zip(*np.nonzero(assigned), strict=True):
            evidence[r][c] = (
                f"few-shot model on the whole answer p={scores[r, c]:.2f} (threshold "
                f"{limits[c]:.3f}); this sentence scores highest alone"
            )
        return CodingResult(self.code_ids, scores, assigned, evidence)

    @property
    def thresholds(self) -> dict[str, float]:
        """The thresholds fitted by cross-validation inside the sample."""
        self._check_fitted()
        return dict(self.thresholds_)


def agreement_by_code(
    code_ids: Sequence[str], y: np.ndarray, predicted: np.ndarray
) -> pd.DataFrame:
    """Each code's support and Cohen's kappa between hand codes ``y`` and out-of-fold
    ``predicted`` (answers x codes; NaN for a code every or no answer has)."""
    return pd.DataFrame(
        [
            {
                "code": code,
                "support": int(y[:, c].sum()),
                "kappa": round(_kappa(y[:, c], predicted[:, c]), 4)
                if 0 < y[:, c].sum() < len(y)
                else float("nan"),
            }
            for c, code in enumerate(code_ids)
        ]
    )


def expected_kappa_interval(
    y: np.ndarray, predicted: np.ndarray, seed: int = 0, rounds: int = 500
) -> dict[str, float]:
    """Mean per-code kappa of out-of-fold predictions, with a 95% bootstrap interval.

    Codes with fewer than two positive answers in the sample are left out (their kappa is not
    defined). Returns ``{"kappa", "low", "high", "codes"}``.
    """
    usable = [c for c in range(y.shape[1]) if 2 <= y[:, c].sum() < len(y)]
    if not usable or len(y) < 2:
        return {"kappa": float("nan"), "low": float("nan"), "high": float("nan"), "codes": 0}

    def mean_kappa(rows: np.ndarray) -> float:
        values = [_kappa(y[rows, c], predicted[rows, c]) for c in usable]
        return float(np.nanmean(values))

    rng = np.random.default_rng(seed)
    everyone = np.arange(len(y))
    samples = [mean_kappa(rng.choice(everyone, len(y), replace=True)) for _ in range(rounds)]
    low, high = np.nanpercentile(samples, [2.5, 97.5])
    return {
        "kappa": round(mean_kappa(everyone), 4),
        "low": round(float(low), 4),
        "high": round(float(high), 4),
        "codes": len(usable),
    }
