"""Anonymise and code on Apache Spark: beyond one machine, with the local engine's results.

* :func:`anonymise_spark` / :func:`code_spark`: a Spark DataFrame in, a Spark DataFrame out
  (Databricks, Spark Connect, any cluster); models are built once per Python worker from
  plain settings, never broadcast.
* :func:`anonymise_engine` / :class:`SparkEngine`: the ``--engine spark`` path for files,
  whose outputs are byte-identical to the local engine's.

Needs the ``spark`` extra (``pip install 'lived_experience[spark]'``) and Java 17; importing
this package does not import pyspark. See ``docs/spark.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from lived_experience.spark.frames import anonymise_spark, code_spark
from lived_experience.spark.workers import SECRET_ENV, SparkWorkerError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from lived_experience.anonymise import AnonymiserSettings
    from lived_experience.anonymise.files import ChunkEngine
    from lived_experience.codebook import Codebook
    from lived_experience.coding import CodedFrame
    from lived_experience.spark.files import SparkEngine

__all__ = [
    "SECRET_ENV",
    "SparkWorkerError",
    "anonymise_engine",
    "anonymise_spark",
    "code_engine",
    "code_spark",
    "code_with_engine",
]


def anonymise_engine(
    name: str,
    spark_master: str | None,
    settings: AnonymiserSettings,
    secret_file: str | Path,
    near: str | Path | None = None,
) -> ChunkEngine | None:
    """The chunk engine for ``anonymise_file`` that ``--engine NAME`` picks (``None``: local).

    ``secret_file`` is the path the Spark workers read the pseudonym secret from; ``near`` is
    where the private exchange folder goes (the output's folder).
    """
    from lived_experience.spark.files import select_engine

    engine = select_engine(name, spark_master)
    if engine is None:
        return None

    def run(chunks: Any, columns: Any, key: Any, decisions: Any) -> Any:
        return engine.anonymise_chunks(
            chunks,
            columns,
            key,
            decisions,
            settings=settings,
            secret_file=secret_file,
            near=Path(near) if near else None,
        )

    return run


def code_engine(name: str, spark_master: str | None = None) -> SparkEngine | None:
    """The coding engine ``--engine NAME`` picks: ``None`` (local) or a SparkEngine."""
    from lived_experience.spark.files import select_engine

    return select_engine(name, spark_master)


def code_with_engine(
    engine: SparkEngine | None,
    frame: pd.DataFrame,
    text_columns: list[str],
    id_column: str,
    coder: Any,
    codebook: Codebook,
    near: str | Path | None = None,
) -> CodedFrame:
    """``code_frame`` locally (``engine`` None) or on Spark with the same coder's settings.

    On Spark the coder is rebuilt on each worker from its registered name, thresholds and
    embedding model (plain values); the result's frame and segments equal ``code_frame``'s.
    """
    from lived_experience.coding import code_frame

    if engine is None:
        return code_frame(frame, text_columns, id_column, coder)
    embedder = getattr(coder, "embedder", None)
    return engine.code_frame(
        frame,
        text_columns,
        id_column,
        codebook,
        coder=str(getattr(coder, "name", "hybrid")),
        thresholds=dict(getattr(coder, "thresholds", {}) or {}),
        embedding_model=getattr(embedder, "model_path", None),
        near=Path(near) if near else None,
    )
