"""Coding with no hand-coded answers by learning the codebook itself (``codebook_coder.v1``).

Before anyone has hand-coded an answer, the codebook is the only thing that says what each
code means: a definition and a few examples. ``embedding_coder.v2`` compares each sentence
with them one at a time (the highest cosine similarity, against one fixed threshold). This
coder *learns* them instead: the codebook becomes a small labelled sample (each code's
"label. definition" and examples, positive for that code and negative for every other; the
built-in "no code" sentences, negative for all) and the few-shot machinery
(:class:`~lived_experience.coding.fewshot.FewShotCoder`: MiniLM embedding + word and character
TF-IDF + the codebook rules' scores, one class-balanced linear SVM per code) is fitted on it,
sentence by sentence. Each code's cut is fitted by cross-validation over the codebook's own
rows (where they can teach it; otherwise the SVM's own boundary), so a code is judged
against the others rather than against a similarity level that suits some codes and not
others.

Measured on text and a codebook nobody on the team wrote (7,394 real NHS comments,
pxtextmining, coded with the published framework's own definitions and examples, no labels):
see ``docs/benchmarks_coding.md`` section ``pxtextmining_zero_shot``. A user's threshold
calibration (``--calibrate``) replaces the fitted cuts as it does for the embedding coder.

>>> from lived_experience.codebook import load_codebook
>>> CodebookClassifierCoder(load_codebook("codebooks/wres_lived_experience.yaml")).name
'codebook_coder.v1'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lived_experience.coding.abstain import descriptive_mask
from lived_experience.coding.coders import EmbeddingCoder

#: fitted attributes of the codebook's classifiers, by (codebook, embedding model), oldest first
_FITTED: dict[tuple[str, str], dict[str, Any]] = {}
_FITTED_KEPT = 8


@dataclass
class CodebookClassifierCoder(EmbeddingCoder):
    """Per-code classifiers trained on the codebook's definitions and examples.

    The same interface as :class:`~lived_experience.coding.coders.EmbeddingCoder` (scores in
    0-1, per-code thresholds that calibration may set, the nearest codebook example as
    evidence), so the hybrid coder and threshold calibration use it unchanged. The model is
    trained on first use (seconds: the codebook's rows only), deterministically.
    With ``abstain`` a sentence that only states a role, band, shift or place gets no code;
    "no code" sentences are already negative rows of every code's classifier.
    """

    name: str = "codebook_coder.v1"
    #: the codebook's rule coder, when a hybrid coder shares its own (the rule scores of a
    #: batch of sentences are then computed once for both)
    rules: Any = None

    def model(self) -> Any:
        """The fitted :class:`~lived_experience.coding.fewshot.FewShotCoder`: trained once per
        codebook and embedding model in a process (every coder for the same codebook shares
        the fitted classifiers; each scores with its own embedder)."""
        if getattr(self, "_model", None) is None:
            from lived_experience.coding.fewshot import FewShotCoder, codebook_rows

            model = FewShotCoder(
                self.codebook,
                embedder=self.embedder,
                use_codebook=False,
                rule_features=True,
                level="sentence",
            )
            if self.rules is not None:
                model._rules = self.rules
            key = (self.codebook.model_dump_json(), self.embedder.model_key)
            fitted = _FITTED.get(key)
            if fitted is None:
                model.fit(*codebook_rows(self.codebook))
                fitted = {k: v for k, v in vars(model).items() if k.endswith("_")}
                while len(_FITTED) >= _FITTED_KEPT:
                    _FITTED.pop(next(iter(_FITTED)))
                _FITTED[key] = fitted
            else:
                vars(model).update(fitted)
            self._model = model
        return self._model

    def threshold(self, code_id: str) -> float:
        """A calibrated threshold where there is one, else the cut fitted on the codebook."""
        if code_id in self.thresholds:
            return self.thresholds[code_id]
        return float(self.model().thresholds_[code_id])

    def similarities(self, sentences: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(classifier scores n x codes, index of the nearest codebook example per cell)."""
        _, nearest = super().similarities(sentences)
        if not len(sentences):
            return np.zeros((0, len(self.code_ids)), dtype=np.float32), nearest
        return self.model().probabilities(list(sentences)).astype(np.float32), nearest

    def abstentions(self, sentences: Sequence[str], scores: np.ndarray) -> np.ndarray:
        out = np.zeros(scores.shape, dtype=bool)
        if self.abstain and len(sentences):
            out[descriptive_mask(sentences)] = True
        return out
