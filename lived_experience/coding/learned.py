"""The learned coder: one classifier per code on sentence embeddings, trained on a hand-coded
sample (``learned_coder.v1``).

For teams that code 150-300 answers by hand and want the rest coded the same way. ``fit``
cross-validates (5 folds, stratified) and reports the agreement it can expect on unseen
answers (``expected_agreement_``); ``review_queue`` lists the answers the classifiers are
least sure of, for a person to code next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lived_experience.codebook import Codebook
from lived_experience.coding.coders import CodingResult
from lived_experience.coding.embeddings import Embedder
from lived_experience.errors import NotFittedError


@dataclass
class LearnedCoder:
    codebook: Codebook
    embedder: Embedder = field(default_factory=Embedder)
    c: float = 1.0
    folds: int = 5
    random_state: int = 0
    name: str = "learned_coder.v1"

    def __post_init__(self) -> None:
        self.code_ids = self.codebook.code_ids

    def classifier(self) -> Any:
        """The per-code classifier (also used by the benchmark, so both stay the same)."""
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=self.c, class_weight="balanced", max_iter=2000)

    def fit(self, texts: Sequence[str], label_sets: Sequence[set[str]]) -> LearnedCoder:
        """Train on whole answers and their hand-coded label sets."""
        from sklearn.metrics import cohen_kappa_score
        from sklearn.model_selection import StratifiedKFold, cross_val_predict

        x = self.embedder.embed(list(texts))
        self.models_: dict[str, object] = {}
        rows = []
        for code in self.code_ids:
            y = np.array([code in labels for labels in label_sets], dtype=int)
            positives = int(y.sum())
            if positives < 2 or positives > len(y) - 2:
                rows.append({"code": code, "support": positives, "kappa": np.nan})
                continue
            model = self.classifier()
            folds = min(self.folds, positives, len(y) - positives)
            predicted = cross_val_predict(
                model, x, y, cv=StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
            )
            rows.append(
                {
                    "code": code,
                    "support": positives,
                    "kappa": round(float(cohen_kappa_score(y, predicted)), 4),
                }
            )
            self.models_[code] = model.fit(x, y)
        self.expected_agreement_ = pd.DataFrame(rows)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "models_"):
            raise NotFittedError(
                "the learned coder has not been trained. Fix: call fit() with a hand-coded "
                "sample, or pass --train LABELLED.csv on the command line."
            )

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        self._check_fitted()
        x = self.embedder.embed(list(texts)) if len(texts) else np.zeros((0, 1))
        out = np.zeros((len(texts), len(self.code_ids)), dtype=np.float32)
        for i, code in enumerate(self.code_ids):
            model = self.models_.get(code)
            if model is not None and len(texts):
                out[:, i] = model.predict_proba(x)[:, 1]  # type: ignore[attr-defined]
        return out

    def code(self, sentences: Sequence[str]) -> CodingResult:
        scores = self.probabilities(sentences)
        assigned = scores >= 0.5
        evidence = [
            [
                f"classifier p={scores[r, c]:.2f}" if assigned[r, c] else ""
                for c in range(len(self.code_ids))
            ]
            for r in range(len(sentences))
        ]
        return CodingResult(self.code_ids, scores, assigned, evidence)

    def review_queue(self, ids: Sequence[str], texts: Sequence[str], n: int = 20) -> pd.DataFrame:
        """The ``n`` answers whose most uncertain code is closest to p = 0.5."""
        probabilities = self.probabilities(texts)
        uncertainty = 1 - 2 * np.abs(probabilities - 0.5)
        worst = uncertainty.argmax(axis=1)
        order = np.argsort(-uncertainty.max(axis=1), kind="stable")[:n]
        return pd.DataFrame(
            {
                "id": [ids[i] for i in order],
                "least_certain_code": [self.code_ids[worst[i]] for i in order],
                "probability": [round(float(probabilities[i, worst[i]]), 3) for i in order],
            }
        )
