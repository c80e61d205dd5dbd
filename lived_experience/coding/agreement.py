"""Agreement between two codings (coder vs human, or human vs human), per code and overall.

Reported the way qualitative researchers report it: Cohen's kappa, Krippendorff's alpha
(nominal), Gwet's AC1 (kappa collapses for rare codes, AC1 does not), percent agreement, and
precision, recall, F1 and support of A against B as the reference. Reading thresholds for
alpha follow Krippendorff: >= 0.800 reliable, >= 0.667 tentative, below that not reliable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from lived_experience.errors import LivedExperienceError
from lived_experience.schemas import require_columns

AGREEMENT_COLUMNS = (
    "code",
    "n",
    "support",
    "kappa",
    "alpha",
    "ac1",
    "percent_agreement",
    "precision",
    "recall",
    "f1",
    "reading",
)


def gwet_ac1(a: np.ndarray, b: np.ndarray) -> float:
    """Gwet's AC1 for two raters and a binary decision.

    >>> round(gwet_ac1(np.array([1, 1, 0, 0, 0, 0]), np.array([1, 0, 0, 0, 0, 0])), 4)
    0.7333
    """
    observed = float(np.mean(a == b))
    prevalence = (float(np.mean(a)) + float(np.mean(b))) / 2
    chance = 2 * prevalence * (1 - prevalence)
    return (observed - chance) / (1 - chance) if chance < 1 else math.nan


def krippendorff_alpha(a: np.ndarray, b: np.ndarray) -> float:
    """Krippendorff's alpha (nominal) for two coders; NaN when there is no variation."""
    import krippendorff

    if len(np.unique(np.concatenate([a, b]))) < 2:
        return math.nan
    return float(
        krippendorff.alpha(
            reliability_data=np.vstack([a, b]).astype(float), level_of_measurement="nominal"
        )
    )


def reading(alpha: float) -> str:
    if math.isnan(alpha):
        return "undefined (no variation)"
    if alpha >= 0.8:
        return "reliable"
    if alpha >= 0.667:
        return "tentative"
    return "not reliable"


def _decisions(frame: pd.DataFrame, codes: Sequence[str], codes_column: str) -> np.ndarray:
    sets = (
        frame[codes_column]
        .fillna("")
        .astype(str)
        .map(lambda v: {c.strip() for c in v.split(";") if c.strip()})
    )
    return np.array([[code in s for code in codes] for s in sets], dtype=int).reshape(
        len(frame), len(codes)
    )


def agreement(
    a: pd.DataFrame,
    b: pd.DataFrame,
    id_column: str = "id",
    codes_column: str = "codes",
    code_ids: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Per-code and overall agreement of coding ``a`` with coding ``b`` (the reference).

    Both frames have one row per unit (response or segment) with an id and ``codes`` joined
    with ``;``. Units are matched by id; only ids in both are compared.
    """
    from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support

    for frame, name in ((a, "A"), (b, "B")):
        require_columns(frame, [id_column, codes_column], f"coding {name}")
    merged = (
        a[[id_column, codes_column]]
        .astype(str)
        .merge(b[[id_column, codes_column]].astype(str), on=id_column, suffixes=("_a", "_b"))
    )
    if merged.empty:
        raise LivedExperienceError(
            f"the two codings share no ids in column '{id_column}'. Fix: check both files use "
            "the same id column and values."
        )
    if code_ids is None:
        seen: set[str] = set()
        for column in (f"{codes_column}_a", f"{codes_column}_b"):
            for value in merged[column]:
                seen.update(c.strip() for c in value.split(";") if c.strip())
        code_ids = sorted(seen)
    left = _decisions(merged.rename(columns={f"{codes_column}_a": "c"}), code_ids, "c")
    right = _decisions(merged.rename(columns={f"{codes_column}_b": "c"}), code_ids, "c")
    rows = []
    for i, code in enumerate(code_ids):
        x, y = left[:, i], right[:, i]
        kappa = (
            float(cohen_kappa_score(x, y))
            if len(np.unique(np.concatenate([x, y]))) > 1
            else math.nan
        )
        precision, recall, f1, _ = precision_recall_fscore_support(
            y, x, average="binary", zero_division=0
        )
        alpha = krippendorff_alpha(x, y)
        rows.append(
            {
                "code": code,
                "n": len(x),
                "support": int(y.sum()),
                "kappa": kappa,
                "alpha": alpha,
                "ac1": gwet_ac1(x, y),
                "percent_agreement": 100 * float(np.mean(x == y)),
                "precision": float(precision),
                "recall": float(recall),
                "f1": float(f1),
                "reading": reading(alpha),
            }
        )
    per_code = pd.DataFrame(rows, columns=list(AGREEMENT_COLUMNS))
    pooled_alpha = krippendorff_alpha(left.ravel(), right.ravel())
    overall = {
        "code": "(overall)",
        "n": len(merged),
        "support": int(right.sum()),
        "kappa": float(np.nanmean(per_code["kappa"])) if len(per_code) else math.nan,
        "alpha": pooled_alpha,
        "ac1": gwet_ac1(left.ravel(), right.ravel()),
        "percent_agreement": 100 * float(np.mean(left == right)),
        "precision": float(per_code["precision"].mean()),
        "recall": float(per_code["recall"].mean()),
        "f1": float(per_code["f1"].mean()),
        "reading": reading(pooled_alpha),
    }
    table = pd.concat([per_code, pd.DataFrame([overall])], ignore_index=True)
    for column in ("kappa", "alpha", "ac1", "percent_agreement", "precision", "recall", "f1"):
        table[column] = table[column].astype(float).round(4)
    return table
