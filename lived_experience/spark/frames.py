"""Anonymise and code Spark DataFrames: the stage functions, one batch at a time, on workers.

>>> from lived_experience.spark import anonymise_spark  # doctest: +SKIP
>>> anonymised = anonymise_spark(
...     df, ["q_experience"], "respondent_id", secret_file="/Volumes/study/secret.key"
... )  # doctest: +SKIP
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from lived_experience.errors import ConfigError, DuplicateIdError
from lived_experience.schemas import require_columns
from lived_experience.spark.workers import (
    ENTITIES_COLUMN,
    SEGMENTS_COLUMN,
    anonymise_partition,
    code_partition,
    secret_fingerprint,
)

if TYPE_CHECKING:  # pragma: no cover
    from lived_experience.anonymise import AnonymiserSettings
    from lived_experience.anonymise.review import Decisions
    from lived_experience.codebook import Codebook


def _check_columns(df: Any, columns: Sequence[str], where: str) -> None:
    require_columns(pd.DataFrame(columns=list(df.columns)), list(columns), where)


def _check_unique_ids(df: Any, id_column: str, where: str) -> None:
    from pyspark.sql import functions as F

    repeated = df.groupBy(id_column).count().filter(F.col("count") > 1).limit(1).collect()
    if repeated:
        raise DuplicateIdError(
            f"{where}: id '{repeated[0][0]}' appears more than once in column '{id_column}'. "
            "Fix: choose a column that identifies each row."
        )


def anonymise_job(
    settings: AnonymiserSettings | None,
    text_columns: Sequence[str],
    id_column: str | None,
    secret_file: str | Path | None,
    decisions: Decisions | None = None,
    entities: bool = False,
    names: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The plain values a worker needs (the secret's *path* and fingerprint, not the secret)."""
    from lived_experience.anonymise import AnonymiserSettings
    from lived_experience.anonymise.pseudonyms import load_or_create_secret
    from lived_experience.models import default_spacy_model

    settings = settings or AnonymiserSettings()
    if settings.use_ner and settings.spacy_model is None:  # fix the model the driver sees
        settings = settings.model_copy(update={"spacy_model": default_spacy_model()})
    settings = settings.model_copy(update={"n_process": 1})
    fingerprint = None
    if secret_file is not None and Path(secret_file).is_file():
        fingerprint = secret_fingerprint(load_or_create_secret(secret_file))
    return {
        "settings": settings.model_dump(mode="json"),
        "secret_file": str(secret_file) if secret_file is not None else None,
        "secret_fingerprint": fingerprint,
        "text_columns": list(text_columns),
        "id_column": id_column,
        "decisions": decisions,
        "entities": entities,
        "names": list(names) if names is not None else None,
    }


def anonymise_spark(
    df: Any,
    text_columns: Sequence[str],
    id_column: str | None,
    settings: AnonymiserSettings | None = None,
    *,
    secret_file: str | Path | None = None,
    decisions: Decisions | None = None,
    with_entities: bool = False,
    check_ids: bool = True,
) -> Any:
    """Anonymise ``text_columns`` of a Spark DataFrame, as the local engine would.

    A narrow ``mapInPandas``: every row comes back, in the same partitions and order, with
    the same columns; only the text columns change. Each worker builds the anonymiser once
    from ``settings`` and runs :meth:`Anonymiser.anonymise_frame` on every Arrow batch
    (``nlp.pipe`` inside), so pseudonyms equal the local engine's for the same secret.

    Parameters
    ----------
    df:
        A ``pyspark.sql.DataFrame`` (classic or Spark Connect).
    text_columns, id_column:
        The free-text columns (string type) and the unique respondent id column.
    settings:
        :class:`AnonymiserSettings` (plain data: it is sent to the workers as JSON).
    secret_file:
        Path of the project secret, readable by every worker (a shared volume). Without it the
        workers read ``$LIVED_EXPERIENCE_SECRET`` (hex) from their environment, e.g. a
        Databricks secret reference in the cluster's environment variables.
    decisions:
        A reviewer's decisions, as for the local engine.
    with_entities:
        Add a ``__le_entities`` column (JSON, SENSITIVE: it holds the detected values).
    check_ids:
        Fail, as the local engine does, when an id repeats (one small aggregation job).
    """
    _check_columns(df, [*text_columns, *([id_column] if id_column else [])], "anonymise")
    types = dict(df.dtypes)
    wrong = [c for c in text_columns if types[c] != "string"]
    if wrong:
        raise ConfigError(
            f"anonymise: text column(s) {', '.join(wrong)} are not strings. Fix: cast them "
            "with df.withColumn(name, df[name].cast('string'))."
        )
    if id_column and check_ids:
        _check_unique_ids(df, id_column, "anonymise")
    job = anonymise_job(
        settings, text_columns, id_column, secret_file, decisions, entities=with_entities
    )
    return map_partitions(df, anonymise_partition, job, ENTITIES_COLUMN if with_entities else None)


def map_partitions(df: Any, body: Any, job: dict[str, Any], extra: str | None) -> Any:
    """``df.mapInPandas`` with ``body`` bound to ``job``; ``extra`` adds one string column."""
    from pyspark.sql.types import StringType, StructField, StructType

    schema = StructType(list(df.schema.fields))
    if extra:
        schema = schema.add(StructField(extra, StringType(), True))
    return df.mapInPandas(functools.partial(body, job=job), schema)


def code_job(
    codebook: Codebook,
    text_columns: Sequence[str],
    id_column: str,
    coder: str = "hybrid",
    thresholds: dict[str, float] | None = None,
    embedding_model: str | None = None,
    segments: bool = False,
    names: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The plain values a coding worker needs."""
    if coder.split("_coder.")[0] not in {"rule", "embedding", "hybrid"}:
        raise ConfigError(
            f"coder '{coder}' cannot run on Spark. Available on Spark: rule, embedding, hybrid. "
            "Fix: choose one of them, or use --engine local for the learned coder."
        )
    return {
        "codebook": codebook.model_dump(mode="json"),
        "coder": coder,
        "thresholds": dict(thresholds or {}),
        "embedding_model": embedding_model,
        "text_columns": list(text_columns),
        "id_column": id_column,
        "code_ids": list(codebook.code_ids),
        "codes_column": "codes",
        "score_columns": [f"score:{c}" for c in codebook.code_ids],
        "segments": segments,
        "names": list(names) if names is not None else None,
    }


def code_spark(
    df: Any,
    text_columns: Sequence[str],
    id_column: str,
    codebook: Codebook,
    coder: str = "hybrid",
    *,
    thresholds: dict[str, float] | None = None,
    embedding_model: str | None = None,
    with_segments: bool = False,
) -> Any:
    """Code ``text_columns`` of a Spark DataFrame with a codebook, as ``code_frame`` would.

    Adds ``codes`` (code ids joined with ``;``) and one float ``score:<code>`` column per
    code; with ``with_segments`` also ``__le_segments`` (JSON: each row's sentence-level
    assignments with evidence). Coders: ``rule``, ``embedding``, ``hybrid`` (calibrated
    ``thresholds`` travel as plain values); the learned coder runs locally only.
    """
    from pyspark.sql.types import FloatType, StringType, StructField, StructType

    _check_columns(df, [id_column, *text_columns], "coding")
    _check_unique_ids(df, id_column, "coding")
    job = code_job(
        codebook, text_columns, id_column, coder, thresholds, embedding_model, with_segments
    )
    clash = [c for c in ["codes", *job["score_columns"]] if c in df.columns]
    if clash:
        raise ConfigError(
            f"coding: the input already has column(s) {', '.join(clash)}. Fix: drop or rename "
            "them before coding."
        )
    fields = [*df.schema.fields, StructField("codes", StringType(), True)]
    fields += [StructField(c, FloatType(), True) for c in job["score_columns"]]
    if with_segments:
        fields.append(StructField(SEGMENTS_COLUMN, StringType(), True))
    return df.mapInPandas(functools.partial(code_partition, job=job), StructType(fields))
