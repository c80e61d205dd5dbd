"""Choose what to hand-code next, and train the default coder on what has been hand-coded.

:func:`choose_for_coding` picks the answers whose coding teaches the model most:

1. **every code covered** -- for each code with fewer than ``per_code`` known examples, and
   for each code the coded sample cannot teach yet (no threshold could be fitted for it:
   :attr:`FewShotCoder.unfitted_codes_ <lived_experience.coding.fewshot.FewShotCoder>`), the
   uncoded answers that score highest for it (so those codes get positives to learn from);
2. **uncertainty** -- answers whose score for some code sits nearest that code's threshold;
3. **diversity** -- each pick is penalised by its similarity to answers already chosen or
   coded (maximal marginal relevance), so the sample is not ten wordings of one complaint.

Before any answer is coded the scores come from the codebook alone (the classifiers trained on
each code's definition and examples, :mod:`lived_experience.coding.codebook_classifier`); after
a round they come from the few-shot coder trained on the answers coded so far, whose
cross-validated kappa (with a 95% interval) is reported so a team can stop when it reaches its
target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lived_experience.codebook import Codebook
from lived_experience.coding.embeddings import Embedder
from lived_experience.coding.fewshot import roll_up, sentence_rows
from lived_experience.coding.train import answer_texts, fit_from_labels
from lived_experience.errors import ConfigError


@dataclass
class CodingSample:
    """The chosen rows (positions in the frame), why each was chosen, and the round's estimate."""

    positions: list[int]
    reasons: list[str]
    expected_kappa: dict[str, float] = field(default_factory=dict)
    expected_agreement: pd.DataFrame | None = None
    labelled: int = 0
    unfitted_codes: list[str] = field(default_factory=list)
    # "nested" (v6 up to nested_estimate_max answers) or "inner" (see FewShotCoder)
    expected_kappa_method: str = "inner"


def _zero_shot_scores(
    codebook: Codebook, embedder: Embedder, texts: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Codebook-only scores per answer (the highest sentence score of the classifiers trained
    on the codebook's definitions and examples, as ``code`` uses with no labels) and their
    thresholds."""
    from lived_experience.coding.codebook_classifier import CodebookClassifierCoder

    coder = CodebookClassifierCoder(codebook, embedder)
    sentences, owners = sentence_rows(texts)
    scores, _ = coder.similarities(sentences)
    limits = np.array([coder.threshold(c) for c in codebook.code_ids], dtype=np.float32)
    return roll_up(scores, owners, len(texts)), limits


def choose_for_coding(
    codebook: Codebook,
    frame: pd.DataFrame,
    text_columns: Sequence[str],
    id_column: str,
    n: int = 50,
    labels: dict[str, set[str]] | None = None,
    embedder: Embedder | None = None,
    per_code: int = 3,
    diversity: float = 0.5,
) -> CodingSample:
    """Pick ``n`` uncoded answers of ``frame`` to hand-code next (see the module docstring).

    Deterministic: the same frame, labels and settings give the same picks in the same order.
    """
    if n < 1:
        raise ConfigError(f"--n must be at least 1; got {n}.")
    embedder = embedder or Embedder()
    labels = labels or {}
    texts = answer_texts(frame, text_columns)
    ids = frame[id_column].astype(str).tolist()
    coded = np.array([i in labels for i in ids], dtype=bool)
    has_text = np.array([bool(t.strip()) for t in texts], dtype=bool)
    candidates = np.flatnonzero(~coded & has_text)
    if not len(candidates):
        raise ConfigError("every answer with text is already coded; nothing left to choose.")
    code_ids = codebook.code_ids
    result = CodingSample([], [], labelled=int(coded.sum()))
    if coded.sum() >= 10:
        coder = fit_from_labels(codebook, frame, text_columns, id_column, labels, embedder)
        scores = coder.answer_probabilities([texts[i] for i in candidates])
        limits = np.array([coder.thresholds_[c] for c in code_ids], dtype=np.float32)
        result.expected_kappa = dict(coder.expected_kappa_)
        result.expected_agreement = coder.expected_agreement_
        result.unfitted_codes = list(coder.unfitted_codes_)
        result.expected_kappa_method = getattr(coder, "expected_kappa_method_", "inner")
        known = {c: sum(c in labels[i] for i in ids if i in labels) for c in code_ids}
    else:
        scores, limits = _zero_shot_scores(codebook, embedder, [texts[i] for i in candidates])
        known = {c: sum(c in s for s in labels.values()) for c in code_ids}
    # Closeness to each code's threshold, in [0, 1]; an answer's uncertainty is its worst code.
    spread = np.maximum(limits, 1 - limits)
    uncertainty = (1 - np.abs(scores - limits) / spread).max(axis=1)
    vectors = embedder.embed([texts[i] for i in candidates])
    taken_vectors = (
        embedder.embed([texts[i] for i in np.flatnonzero(coded & has_text)])
        if coded.any()
        else np.zeros((0, vectors.shape[1]), dtype=np.float32)
    )
    chosen: list[int] = []  # indices into candidates
    reasons: list[str] = []
    budget = min(n, len(candidates))
    # 1. coverage, rarest codes first (ties in codebook order); a code the sample cannot
    # teach yet gets per_code more candidates however many examples it already has
    unteachable = set(result.unfitted_codes)
    for c in sorted(range(len(code_ids)), key=lambda c: (known[code_ids[c]], c)):
        need = max(0, per_code - known[code_ids[c]])
        why = "few examples yet"
        if code_ids[c] in unteachable and not need:
            need, why = per_code, "the coded sample cannot teach it yet"
        order = np.argsort(-scores[:, c], kind="stable")
        for k in order:
            if need == 0 or len(chosen) >= budget:
                break
            if k in chosen:
                continue
            chosen.append(int(k))
            reasons.append(f"may show {code_ids[c]} ({why})")
            need -= 1
    # 2-3. uncertainty with a diversity penalty
    similarity_to_taken = (
        (vectors @ taken_vectors.T).max(axis=1) if len(taken_vectors) else np.zeros(len(candidates))
    )
    for k in chosen:
        similarity_to_taken = np.maximum(similarity_to_taken, vectors @ vectors[k])
    while len(chosen) < budget:
        value = uncertainty - diversity * similarity_to_taken
        value[chosen] = -np.inf
        k = int(np.argmax(value))
        chosen.append(k)
        worst = int(np.argmax(1 - np.abs(scores[k] - limits) / spread))
        reasons.append(f"uncertain about {code_ids[worst]}")
        similarity_to_taken = np.maximum(similarity_to_taken, vectors @ vectors[k])
    result.positions = [int(candidates[k]) for k in chosen]
    result.reasons = reasons
    return result
