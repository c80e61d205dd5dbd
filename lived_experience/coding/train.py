"""Train the default coder on a hand-coded sample, and say how far its results can be trusted.

``code --train LABELS`` runs :func:`fit_from_labels` (the few-shot coder, thresholds fitted by
cross-validation inside the sample) and writes :func:`training_summary` into the run's settings.
A run with neither ``--train`` nor ``--calibrate`` uses thresholds nobody fitted to this data:
:func:`calibration_status` says so, and the settings file carries ``"calibrated": false`` so a
report can mark its prevalence figures as uncalibrated.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import pandas as pd

from lived_experience.codebook import Codebook
from lived_experience.coding.embeddings import Embedder
from lived_experience.coding.fewshot import FewShotCoder
from lived_experience.errors import ConfigError, LabelsFileError

# the few-shot coder that --train (and coding-sample's rounds) fit when none is named
TRAIN_DEFAULT = "fewshot_coder.v6"

UNCALIBRATED_WARNING = (
    "thresholds are not calibrated on this data: code prevalence may be over- or "
    "under-stated. Fix: hand-code a sample (lived-experience coding-sample) and pass it "
    "with --train (or --calibrate)."
)


def answer_texts(frame: pd.DataFrame, text_columns: Sequence[str]) -> list[str]:
    """Each row's text columns joined (blank columns left out), as the coders train on them."""
    return [
        "\n\n".join(str(v) for v in values if str(v).strip())
        for values in frame[list(text_columns)].fillna("").to_numpy()
    ]


def fit_from_labels(
    codebook: Codebook,
    frame: pd.DataFrame,
    text_columns: Sequence[str],
    id_column: str,
    labels: dict[str, set[str]],
    embedder: Embedder | None = None,
    version: str = TRAIN_DEFAULT,
) -> FewShotCoder:
    """Train the few-shot coder (``version``, a registered ``fewshot_coder.vN``; default
    :data:`TRAIN_DEFAULT`) on the rows of ``frame`` that ``labels`` codes.

    The answers' texts come from ``frame`` (never from the labels file). Raises a
    :class:`~lived_experience.errors.LabelsFileError` when no labelled id is in ``frame``.
    """
    ids = frame[id_column].astype(str)
    inside = ids.isin(labels).to_numpy()
    if not inside.any():
        raise LabelsFileError(
            f"none of the {len(labels)} hand-coded ids is in column '{id_column}' of the input. "
            "Fix: code answers from this file (coding-sample picks them) or check the id column."
        )
    rows = frame[inside]
    from lived_experience.coding.coders import CODERS

    coder = CODERS.get(version)(codebook, embedder=embedder or Embedder())
    if not isinstance(coder, FewShotCoder):
        raise ConfigError(f"'{version}' is not a few-shot coder; --train needs one.")
    coder.fit(answer_texts(rows, text_columns), [labels[i] for i in rows[id_column].astype(str)])
    return coder


def training_summary(coder: FewShotCoder) -> dict[str, Any]:
    """What a trained coder's settings file records: sample size, thresholds, expected kappa."""
    return {
        "trained_on": coder.n_train_,
        # answers judged whole, sentence by sentence or both ("both": the mean of the two),
        # and the expected kappa of each level fitted
        "level": coder.fitted_level,
        **(
            {"level_expected_kappa": dict(coder.level_kappas_)}
            if hasattr(coder, "level_kappas_")
            else {}
        ),
        # "refit": one model per code fitted on the whole sample after the cross-validation;
        # "fold_mean": the cross-validation's own models, their mean score (v5)
        "final_model": coder.final_model,
        "thresholds": dict(coder.thresholds_),
        "thresholds_fitted_by": f"{min(coder.folds, coder.n_train_)}-fold cross-validation "
        "inside the hand-coded sample",
        "codes_without_fitted_threshold": list(coder.unfitted_codes_),
        "learnable_kappa": coder.learnable_kappa,
        "expected_kappa": dict(coder.expected_kappa_),
        # "nested": each fold coded by a model fine-tuned and fitted without it (v6, samples
        # up to nested_estimate_max); "inner": the inner folds that fitted the cuts (with a
        # fine-tuned embedding that saw their labels, optimistic)
        "expected_kappa_from": _estimate_source(coder),
        **(
            {
                "fine_tuned": {
                    **dataclasses.asdict(coder.fine_tuning),
                    "weights": coder.tuned_embedder_.model_key,
                },
                "inner_expected_kappa": dict(coder.inner_expected_kappa_),
            }
            if hasattr(coder, "tuned_embedder_") and coder.fine_tuning is not None
            else {}
        ),
        "expected_agreement": coder.expected_agreement_.to_dict("records"),
    }


def _estimate_source(coder: FewShotCoder) -> str:
    method = getattr(coder, "expected_kappa_method_", "inner")
    folds = min(coder.folds, coder.n_train_)
    if method == "nested":
        return (
            f"nested {folds}-fold cross-validation: each fold coded by a model fine-tuned and "
            "fitted on the other folds only"
        )
    if hasattr(coder, "tuned_embedder_"):
        return (
            f"the {folds} inner folds that fitted the thresholds, read with a sentence model "
            "fine-tuned on the whole sample (optimistic: it saw their labels)"
        )
    return f"the {folds} inner folds that fitted the thresholds"


def describe_expected_kappa(
    estimate: dict[str, float], labelled: int, method: str = "inner"
) -> str:
    """One line for the console: the cross-validated kappa and its 95% interval (``method``:
    ``"nested"`` when each fold was coded by a model fine-tuned without it)."""
    if not estimate or estimate.get("codes", 0) == 0:
        return (
            f"{labelled} answers hand-coded so far: too few codes with two or more examples "
            "to estimate agreement yet."
        )
    how = (
        "nested 5-fold cross-validation, each fold coded by a model fine-tuned without it"
        if method == "nested"
        else "5-fold cross-validation"
    )
    return (
        f"expected agreement on answers not yet coded, from {labelled} hand-coded answers "
        f"({how}, {estimate['codes']} codes with 2+ examples): mean kappa "
        f"{estimate['kappa']:.2f} (95% interval {estimate['low']:.2f} to {estimate['high']:.2f})"
    )


def describe_unfitted_codes(codes: Sequence[str], learnable_kappa: float | None) -> str | None:
    """One console warning for codes the hand-coded sample could not fit a threshold for."""
    if not codes:
        return None
    floor = (
        ""
        if learnable_kappa is None
        else f", or out-of-fold agreement below kappa {learnable_kappa:g}"
    )
    return (
        f"{len(codes)} code(s) kept the classifier's own boundary because the hand-coded "
        f"sample could not fit a threshold for them (fewer than two examples{floor}): "
        f"{', '.join(codes)}. Fix: hand-code more answers with these codes "
        "(lived-experience coding-sample picks them) and train again."
    )


def calibration_status(coder: object, calibrated: bool) -> bool:
    """True when the coder's thresholds were fitted on labels of this study."""
    return calibrated or isinstance(coder, FewShotCoder) or type(coder).__name__ == "LearnedCoder"
