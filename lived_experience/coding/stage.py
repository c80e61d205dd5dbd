"""The coding stage's entry point, called by ``lived-experience code`` and the study pipeline
alike: build the coder, train or calibrate it on a hand-coded sample, code every row, and
measure agreement on the labelled rows it did not learn from.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from lived_experience.codebook import Codebook
from lived_experience.coding.agreement import agreement
from lived_experience.coding.apply import CodedFrame
from lived_experience.coding.calibrate import calibrate_thresholds
from lived_experience.coding.codebook_classifier import CodebookClassifierCoder
from lived_experience.coding.coders import build_coder
from lived_experience.coding.embeddings import Embedder
from lived_experience.coding.fewshot import FewShotCoder
from lived_experience.coding.labels import label_sets
from lived_experience.coding.learned import LearnedCoder
from lived_experience.coding.train import calibration_status, fit_from_labels, training_summary
from lived_experience.errors import ConfigError
from lived_experience.output import write_text_atomic


class CodingSettings(BaseModel):
    """Which coder, and how much of a hand-coded sample it learns from.

    Examples
    --------
    >>> CodingSettings(coder="rule").coder
    'rule'
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    coder: str = Field("hybrid", description="hybrid, rule, embedding, learned or versioned")
    embedding_model: str | None = Field(
        None, description="sentence-transformers folder (default all-MiniLM-L6-v2 from PyPI)"
    )
    calibration_rows: int | None = Field(
        None,
        ge=1,
        description="only the first N rows calibrate or train; labelled rows after them "
        "measure agreement (None: every labelled row calibrates or trains)",
    )
    review_queue_size: int = Field(20, ge=1, description="answers the learned coder queues")


@dataclass
class CodingRun:
    """What :func:`run` returns: the coded rows and segments, and how the coder was set up."""

    coded: CodedFrame
    coder: Any
    #: the settings record (``OUTPUT.settings.json``): coder, codebook, model, thresholds
    record: dict[str, Any]
    calibrated_on: int = 0
    expected_agreement: pd.DataFrame | None = None
    review_queue: pd.DataFrame | None = None
    agreement: pd.DataFrame | None = None
    agreement_units: int = 0


def trains_fewshot(coder: str) -> bool:
    """Whether a hand-coded sample (``training_labels``) replaces coder ``coder`` with the
    few-shot coder: the default (``hybrid``), ``fewshot`` and every ``fewshot_coder.vN``."""
    return coder in ("hybrid", "fewshot") or coder.startswith("fewshot_coder.")


def _answers(frame: pd.DataFrame, text_columns: Sequence[str]) -> list[str]:
    return [" ".join(str(v) for v in values) for values in frame[list(text_columns)].to_numpy()]


def build_stage_coder(
    codebook: Codebook, settings: CodingSettings, embedder: Embedder | None = None
) -> tuple[Any, dict[str, Any]]:
    """The coder ``settings`` name (untrained, uncalibrated) and the start of its record."""
    embedder = embedder or Embedder(settings.embedding_model)
    name = settings.coder
    coder: Any = (
        build_coder(name, codebook)
        if name == "rule"
        else build_coder(name, codebook, embedder=embedder)
    )
    record: dict[str, Any] = {
        "coder": getattr(coder, "name", name),
        "codebook": codebook.id,
        "codebook_version": codebook.version,
        "embedding_model": embedder.model_key,
    }
    return coder, record


def run(
    frame: pd.DataFrame,
    codebook: Codebook,
    settings: CodingSettings,
    *,
    text_columns: Sequence[str],
    id_column: str,
    labels: pd.DataFrame | None = None,
    training_labels: pd.DataFrame | None = None,
    embedder: Embedder | None = None,
    engine: str = "local",
    spark_master: str | None = None,
    near: str | Path | None = None,
) -> CodingRun:
    """Code every row of ``frame`` against ``codebook``.

    Parameters
    ----------
    labels:
        A hand-coded sample (``id``, ``codes``; :func:`~lived_experience.coding.labels.
        read_labels`): calibrates the thresholds of the embedding and hybrid coders on the
        first ``settings.calibration_rows`` rows (all rows if None), trains the learned coder
        when ``training_labels`` is not given, and measures agreement on the labelled rows
        left over.
    training_labels:
        The learned coder's training sample (default: ``labels``).
    embedder:
        Shared sentence embedder (default: one for ``settings.embedding_model``).
    engine, spark_master, near:
        ``"local"`` or ``"spark"`` (:mod:`lived_experience.spark`; the coder is rebuilt on
        each worker from its settings, with the same result); ``near`` is where Spark's
        private exchange folder goes (the output's folder).
    """
    coder, record = build_stage_coder(codebook, settings, embedder)
    sample = frame if settings.calibration_rows is None else frame.iloc[: settings.calibration_rows]
    used_ids: set[str] = set()
    prepared: dict[str, Any] = {}
    if training_labels is not None and trains_fewshot(settings.coder):
        # a hand-coded sample trains the default coder: the few-shot coder, its thresholds
        # fitted by cross-validation inside the sample (never on the rows being scored)
        wanted = label_sets(training_labels)
        coder = fit_from_labels(
            codebook,
            frame,
            text_columns,
            id_column,
            wanted,
            getattr(coder, "embedder", None),
            # a named few-shot version trains as itself; "hybrid" / "fewshot": the default
            **({"version": settings.coder} if settings.coder.startswith("fewshot_coder.") else {}),
        )
        used_ids = set(frame[id_column].astype(str)) & set(wanted)
        record.update(coder=coder.name, **training_summary(coder))
        prepared["expected_agreement"] = coder.expected_agreement_
    if isinstance(coder, LearnedCoder):
        train = training_labels if training_labels is not None else labels
        if train is None:
            raise ConfigError(
                "the learned coder needs a hand-coded sample to train on. Fix: pass --train "
                "LABELLED.csv (or give coding.labels in the study YAML)."
            )
        wanted = label_sets(train)
        rows = sample[sample[id_column].astype(str).isin(wanted)]
        if rows.empty:
            raise ConfigError(
                f"no training label matches an id in column '{id_column}'. Fix: the sample's "
                "id column must hold the same ids as the coded rows."
            )
        coder.fit(_answers(rows, text_columns), [wanted[str(i)] for i in rows[id_column]])
        used_ids = set(rows[id_column].astype(str))
        prepared["expected_agreement"] = coder.expected_agreement_
        record["expected_agreement"] = coder.expected_agreement_.to_dict("records")
        unlabelled = frame[~frame[id_column].astype(str).isin(wanted)]
        prepared["review_queue"] = coder.review_queue(
            unlabelled[id_column].astype(str).tolist(),
            _answers(unlabelled, text_columns),
            n=settings.review_queue_size,
        )
    if labels is not None and hasattr(coder, "thresholds") and not isinstance(coder, FewShotCoder):
        record["thresholds"] = calibrate_thresholds(coder, sample, text_columns, id_column, labels)
        used_ids = set(sample[id_column].astype(str))
        prepared["calibrated_on"] = len(sample)
    elif isinstance(getattr(coder, "embedding", coder), CodebookClassifierCoder):
        # no hand-coded sample: the cuts in effect are those fitted on the codebook's rows
        scorer = getattr(coder, "embedding", coder)
        record["thresholds"] = {c: round(scorer.threshold(c), 4) for c in coder.code_ids}
        record["thresholds_fitted_on"] = "the codebook's definitions and examples"
        record["codes_without_fitted_threshold"] = list(scorer.model().unfitted_codes_)
    elif hasattr(coder, "thresholds") and "thresholds" not in record:
        record["thresholds"] = dict(coder.thresholds)
    record["calibrated"] = calibration_status(coder, labels is not None)
    from lived_experience.spark import code_engine, code_with_engine

    coded = code_with_engine(
        code_engine(engine, spark_master),
        frame,
        list(text_columns),
        id_column,
        coder,
        codebook,
        near,
    )
    result = CodingRun(coded, coder, record, **prepared)
    if labels is not None:
        coded = result.coded.frame
        held_out = coded[~coded[id_column].astype(str).isin(used_ids)]
        if held_out[id_column].astype(str).isin(set(labels["id"].astype(str))).any():
            result.agreement = agreement(
                held_out.rename(columns={id_column: "id"}), labels, code_ids=codebook.code_ids
            )
            result.agreement_units = len(held_out)
    return result


def write_settings_record(output: str | Path, record: dict[str, Any]) -> Path:
    """Write ``OUTPUT.settings.json`` beside a coded output: how it was coded, to reproduce."""
    output = Path(output)
    path = output.with_name(output.name + ".settings.json")
    write_text_atomic(path, json.dumps(record, indent=2, sort_keys=True, default=str))
    return path
