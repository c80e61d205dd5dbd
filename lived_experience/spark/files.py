"""The ``--engine spark`` path for files: same reader, same writer, Spark in between.

The driver reads and checks the input with the local engine's own reader (so a malformed file
gives the same error), writes the checked chunks to a private Parquet folder with a row index,
lets Spark anonymise it in parallel (range-partitioned on the row index, sorted within each
partition, one narrow ``mapInPandas``), has Spark write the results as Parquet, then reads them
back on the driver in row-index order, checking that every row came back exactly once, and
hands them chunk by chunk to the local engine's writer. Output files are therefore
byte-identical to the local engine's for the same input, settings and secret.

The private folder (mode 0700, beside the output unless ``workdir`` is given) holds answer
text while the run lasts and is deleted at the end, failed or not. On a multi-machine cluster
it must be on storage every worker can read.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from lived_experience.errors import LivedExperienceError
from lived_experience.spark.workers import (
    CHUNK_COLUMN,
    ENTITIES_COLUMN,
    INDEX_COLUMN,
    ROW_COLUMN,
    SEGMENTS_COLUMN,
    anonymise_partition,
    code_partition,
    frame_from_json,
)

if TYPE_CHECKING:  # pragma: no cover
    from lived_experience.anonymise import AnonymiserSettings
    from lived_experience.anonymise.engine import AnonymisedFrame
    from lived_experience.anonymise.review import Decisions
    from lived_experience.codebook import Codebook
    from lived_experience.coding import CodedFrame

#: Rows per Spark partition by default: small enough to spread 20k answers over many tasks,
#: big enough that each task's fixed cost (about 10 ms) is noise beside its NLP time.
PARTITION_ROWS = 2000


class SparkResultError(LivedExperienceError):
    """Spark returned a different set of rows than it was given."""

    code = "LE062"


class SparkEngine:
    """Runs anonymisation or coding of pandas chunks on Spark; keeps the order and the rows.

    Parameters
    ----------
    master:
        Spark master for a session this engine starts (``local[2]``, ``spark://host:7077``);
        ignored when ``spark`` is given.
    spark:
        An existing SparkSession to use (it is not stopped at the end).
    partition_rows:
        Rows per Spark partition.
    workdir:
        Folder for the private Parquet exchange (default: beside the output).
    """

    def __init__(
        self,
        master: str = "local[2]",
        spark: Any = None,
        partition_rows: int = PARTITION_ROWS,
        workdir: str | Path | None = None,
    ) -> None:
        self.master = master
        self.spark = spark
        self.partition_rows = partition_rows
        self.workdir = workdir

    # -- plumbing ---------------------------------------------------------------------------
    def _session(self) -> tuple[Any, bool]:
        if self.spark is not None:
            return self.spark, False
        from pyspark.sql import SparkSession

        active = SparkSession.getActiveSession()
        if active is not None:  # a notebook's or a test's session: use it, leave it running
            return active, False
        from lived_experience.spark.session import spark_session

        return spark_session(self.master), True

    def _private_dir(self, near: Path | None) -> Path:
        base = Path(self.workdir) if self.workdir else (near or Path(tempfile.gettempdir()))
        base.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".le-spark-", dir=base))  # mode 0700

    def _write_inputs(
        self, chunks: Iterator[pd.DataFrame], folder: Path
    ) -> tuple[list[str] | None, list[pd.Index], int]:
        """Chunks -> Parquet parts with positional column names; (names, indexes, rows)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        names: list[str] | None = None
        indexes: list[pd.Index] = []
        rows = 0
        folder.mkdir()
        for number, chunk in enumerate(chunks):
            names = names or [str(c) for c in chunk.columns]
            data = {f"c{j}": chunk.iloc[:, j] for j in range(chunk.shape[1])}
            frame = pd.DataFrame(data).reset_index(drop=True)
            index = chunk.index
            integer_index = pd.api.types.is_integer_dtype(index.dtype)
            frame[INDEX_COLUMN] = index.to_numpy() if integer_index else range(len(chunk))
            frame[ROW_COLUMN] = range(rows, rows + len(chunk))
            frame[CHUNK_COLUMN] = number
            table = pa.Table.from_pandas(frame, preserve_index=False)
            pq.write_table(table, folder / f"part-{number:06d}.parquet")
            indexes.append(index)
            rows += len(chunk)
        return names, indexes, rows

    def _run(
        self,
        spark: Any,
        inputs: Path,
        outputs: Path,
        body: Any,
        job: dict[str, Any],
        extra_fields: list[Any],
        rows: int,
    ) -> None:
        from pyspark.sql.types import StructType

        df = spark.read.parquet(str(inputs))
        partitions = max(_parallelism(spark), math.ceil(rows / self.partition_rows))
        partitions = min(partitions, rows)  # every core busy, but no empty partitions
        df = df.repartitionByRange(partitions, ROW_COLUMN).sortWithinPartitions(ROW_COLUMN)
        schema = StructType([*df.schema.fields, *extra_fields])
        import functools

        result = df.mapInPandas(functools.partial(body, job=job), schema)
        try:
            result.sortWithinPartitions(ROW_COLUMN).write.parquet(str(outputs))
        except LivedExperienceError:
            raise
        except Exception as exc:
            raise _clean_spark_error(exc) from None

    def _read_results(self, outputs: Path, rows: int) -> Iterator[pd.DataFrame]:
        """Result parts in row order; each row index 0..rows-1 exactly once, or an error."""
        import pyarrow.parquet as pq

        parts = []
        for path in sorted(outputs.glob("part-*.parquet")):
            first = pq.read_table(path, columns=[ROW_COLUMN]).column(0)
            if len(first):
                parts.append((int(first[0].as_py()), path))
        expected = 0
        for _, path in sorted(parts):
            frame = pq.read_table(path).to_pandas()
            found = frame[ROW_COLUMN].to_numpy()
            if len(found) and (found[0] != expected or (found[1:] - found[:-1] != 1).any()):
                raise SparkResultError(
                    "Spark returned rows out of order, twice or not at all. Fix: run again; "
                    "if it persists, use --engine local and report the Spark version."
                )
            expected += len(found)
            yield frame
        if expected != rows:
            raise SparkResultError(
                f"Spark returned {expected} of {rows} rows. Fix: run again; if it persists, "
                "use --engine local and report the Spark version."
            )

    def _chunks_back(
        self, outputs: Path, rows: int, names: list[str], indexes: list[pd.Index]
    ) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
        """(result chunk with real column names and the original index, its raw rows)."""
        pending: list[pd.DataFrame] = []
        number = 0
        for part in self._read_results(outputs, rows):
            pending.append(part)
            while pending and number < len(indexes):
                merged = pd.concat(pending, ignore_index=True) if len(pending) > 1 else pending[0]
                size = len(indexes[number])
                if len(merged) < size:
                    pending = [merged]
                    break
                raw, rest = merged.iloc[:size], merged.iloc[size:]
                pending = [rest] if len(rest) else []
                data = raw[[f"c{j}" for j in range(len(names))]].copy()
                data.columns = names
                data.index = indexes[number]
                yield data, raw.reset_index(drop=True)
                number += 1

    # -- anonymise --------------------------------------------------------------------------
    def anonymise_chunks(
        self,
        chunks: Iterator[pd.DataFrame],
        columns: Sequence[str],
        key: str | None,
        decisions: Decisions | None,
        *,
        settings: AnonymiserSettings,
        secret_file: str | Path,
        near: Path | None = None,
    ) -> Iterator[AnonymisedFrame]:
        """Anonymise checked chunks on Spark; one result per chunk, in order."""
        from lived_experience.anonymise.engine import ENTITY_COLUMNS, AnonymisedFrame
        from lived_experience.spark.frames import anonymise_job

        folder = self._private_dir(near)
        spark, own = None, False
        try:
            names, indexes, rows = self._write_inputs(chunks, folder / "input")
            if not rows or names is None:
                return
            from pyspark.sql.types import StringType, StructField  # only once there is work

            job = anonymise_job(
                settings, columns, key, secret_file, decisions, entities=True, names=names
            )
            spark, own = self._session()
            self._run(
                spark,
                folder / "input",
                folder / "output",
                anonymise_partition,
                job,
                [StructField(ENTITIES_COLUMN, StringType(), True)],
                rows,
            )
            order = {column: i for i, column in enumerate(columns)}
            for data, raw in self._chunks_back(folder / "output", rows, names, indexes):
                entities = frame_from_json(raw[ENTITIES_COLUMN].tolist(), list(ENTITY_COLUMNS))
                if len(entities):  # the local engine lists a chunk's entities column by column
                    position = entities["field"].map(order)
                    entities = entities.iloc[position.argsort(kind="stable")]
                    entities = entities.reset_index(drop=True)
                yield AnonymisedFrame(data, entities)
        finally:
            if own and spark is not None:
                spark.stop()
            shutil.rmtree(folder, ignore_errors=True)

    # -- code -------------------------------------------------------------------------------
    def code_frame(
        self,
        frame: pd.DataFrame,
        text_columns: Sequence[str],
        id_column: str,
        codebook: Codebook,
        coder: str = "hybrid",
        thresholds: dict[str, float] | None = None,
        embedding_model: str | None = None,
        near: Path | None = None,
    ) -> CodedFrame:
        """:func:`lived_experience.coding.code_frame` on Spark: same frame and segments back."""
        from pyspark.sql.types import FloatType, StringType, StructField

        from lived_experience.coding import CodedFrame, CodingResult
        from lived_experience.coding.apply import SEGMENT_ASSIGNMENT_COLUMNS
        from lived_experience.errors import DuplicateIdError
        from lived_experience.schemas import require_columns
        from lived_experience.spark.frames import code_job

        require_columns(frame, [id_column, *text_columns], "coding")
        if frame[id_column].astype(str).duplicated().any():
            raise DuplicateIdError(
                f"coding: ids in '{id_column}' repeat. Fix: use a unique id column."
            )
        job = code_job(
            codebook,
            text_columns,
            id_column,
            coder,
            thresholds,
            embedding_model,
            segments=True,
            names=[str(c) for c in frame.columns],
        )
        folder = self._private_dir(near)
        spark, own = None, False
        try:
            names, indexes, rows = self._write_inputs(iter([frame]), folder / "input")
            assert names is not None
            spark, own = self._session()
            extra = [StructField("__le_codes", StringType(), True)]
            extra += [
                StructField(f"__le_score{i}", FloatType(), True)
                for i in range(len(job["code_ids"]))
            ]
            extra.append(StructField(SEGMENTS_COLUMN, StringType(), True))
            job["codes_column"] = "__le_codes"
            job["score_columns"] = [f"__le_score{i}" for i in range(len(job["code_ids"]))]
            self._run(spark, folder / "input", folder / "output", code_partition, job, extra, rows)
            data, raw = next(self._chunks_back(folder / "output", rows, names, indexes))
            out = frame.copy()
            out["codes"] = raw["__le_codes"].to_numpy()
            for code_id, column in zip(job["code_ids"], job["score_columns"], strict=True):
                out[f"score:{code_id}"] = raw[column].to_numpy()
            segments = frame_from_json(
                raw[SEGMENTS_COLUMN].tolist(), list(SEGMENT_ASSIGNMENT_COLUMNS)
            )
            if len(segments):  # code_frame lists sentences column by column
                order = {column: i for i, column in enumerate(text_columns)}
                position = segments["field"].map(order)
                segments = segments.iloc[position.argsort(kind="stable")].reset_index(drop=True)
        finally:
            if own and spark is not None:
                spark.stop()
            shutil.rmtree(folder, ignore_errors=True)
        empty = CodingResult(list(job["code_ids"]), None, None, [])  # type: ignore[arg-type]
        return CodedFrame(out, segments, pd.DataFrame(), empty)


def _parallelism(spark: Any) -> int:
    """Cores Spark would use (classic sessions); 1 where it cannot be read (Spark Connect)."""
    try:
        return max(1, int(spark.sparkContext.defaultParallelism))
    except Exception:  # Spark Connect has no SparkContext
        return 1


def _clean_spark_error(exc: Exception) -> LivedExperienceError:
    """A Spark job failure as an LE error: a worker's LE error kept, anything else withheld."""
    from lived_experience import errors
    from lived_experience.spark import workers
    from lived_experience.spark.session import SparkUnavailableError
    from lived_experience.spark.workers import SparkWorkerError

    text = str(exc)
    known = {
        name: getattr(module, name)
        for module in (errors, workers)
        for name in dir(module)
        if isinstance(getattr(module, name), type)
        and issubclass(getattr(module, name), LivedExperienceError)
    }
    known["SparkUnavailableError"] = SparkUnavailableError
    for line in reversed(text.splitlines()):
        head, _, message = line.strip().partition(": ")
        name = head.rsplit(".", 1)[-1]
        if name in known and message:
            error = known[name].__new__(known[name])
            Exception.__init__(error, message)  # the message already carries its [LE0xx] code
            return error  # type: ignore[no-any-return]
    return SparkWorkerError(
        f"a Spark job failed ({type(exc).__name__}; details withheld from this message "
        "because they may quote data). Fix: check the Spark logs, or run with --engine local."
    )


def select_engine(name: str, spark_master: str | None = None) -> SparkEngine | None:
    """The engine an ``--engine`` option names: ``None`` for ``local``, a :class:`SparkEngine`."""
    if name == "local":
        return None
    if name == "spark":
        from lived_experience.spark.session import require_pyspark

        require_pyspark()
        return SparkEngine(master=spark_master or os.environ.get("SPARK_MASTER") or "local[2]")
    from lived_experience.errors import ConfigError

    raise ConfigError(f"unknown engine '{name}'. Available: local, spark.")
