"""Per-code thresholds calibrated on a hand-coded sample, maximising Cohen's kappa.

The sample is a CSV with the unit id and a ``codes`` column (code ids joined with ``;``).
Calibration sees each unit's sentences once, tries every threshold on a grid, and keeps the
one with the best kappa against the sample for each code; the thresholds are returned (and
saved with the coding results) so a run can be reproduced.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from lived_experience.coding.abstain import descriptive_mask
from lived_experience.coding.apply import sentences_of
from lived_experience.coding.coders import EmbeddingCoder, HybridCoder
from lived_experience.errors import ConfigError

GRID = tuple(round(x, 3) for x in np.arange(0.20, 0.801, 0.025))


def calibrate_thresholds(
    coder: HybridCoder | EmbeddingCoder,
    frame: pd.DataFrame,
    text_columns: Sequence[str],
    id_column: str,
    labels: pd.DataFrame,
    labels_id: str = "id",
    labels_codes: str = "codes",
) -> dict[str, float]:
    """Best threshold per code on ``labels``; sets them on ``coder`` and returns them."""
    from sklearn.metrics import cohen_kappa_score

    if not isinstance(coder, (HybridCoder, EmbeddingCoder)):
        raise ConfigError("only the embedding and hybrid coders have thresholds to calibrate.")
    labelled = frame[frame[id_column].astype(str).isin(labels[labels_id].astype(str))]
    if labelled.empty:
        raise ConfigError(
            f"no labelled id matches column '{id_column}'. Fix: the sample's '{labels_id}' "
            "column must hold the same ids."
        )
    sentences = sentences_of(labelled, text_columns, id_column)
    embedding = coder.embedding if isinstance(coder, HybridCoder) else coder
    scores, _ = embedding.similarities(sentences["sentence"].tolist())
    texts = sentences["sentence"].tolist()
    blocked = embedding.abstentions(texts, scores)
    if isinstance(coder, HybridCoder):
        rule_scores, _ = coder.rules.score(texts)
        rule_hit = (rule_scores > 0) & (scores >= coder.rule_floor)
        if coder.abstain and len(texts):
            rule_hit[descriptive_mask(texts)] = False
    else:
        rule_hit = np.zeros_like(scores, dtype=bool)
    ids = labelled[id_column].astype(str).tolist()
    position = {unit: i for i, unit in enumerate(ids)}
    rows = np.array([position[u] for u in sentences["id"]], dtype=int)
    truth_sets = (
        labels.set_index(labels[labels_id].astype(str))[labels_codes]
        .fillna("")
        .astype(str)
        .map(lambda v: {c for c in v.split(";") if c})
    )
    thresholds = {}
    for c, code in enumerate(coder.code_ids):
        truth = np.array([code in truth_sets.get(u, set()) for u in ids], dtype=int)
        best, best_kappa = coder.thresholds.get(code, 0.5), -np.inf
        for threshold in GRID:
            hit = rule_hit[:, c] | ((scores[:, c] >= threshold) & ~blocked[:, c])
            predicted = np.zeros(len(ids), dtype=int)
            np.maximum.at(predicted, rows, hit.astype(int))
            if len(np.unique(np.concatenate([predicted, truth]))) < 2:
                continue
            kappa = cohen_kappa_score(truth, predicted)
            if kappa > best_kappa + 1e-9:
                best, best_kappa = threshold, kappa
        thresholds[code] = float(best)
    coder.thresholds.update(thresholds)
    if isinstance(coder, HybridCoder):
        coder.embedding.thresholds.update(thresholds)
    return thresholds
