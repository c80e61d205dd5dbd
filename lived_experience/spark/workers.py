"""What runs inside each Spark Python worker: engines built lazily, batches processed.

Only plain values travel from the driver (a ``job`` dict of settings, column names and the
*path* of the secret file, never the secret or an engine object), so the same functions work
with a classic SparkSession, Spark Connect and Databricks. Each worker process builds its
:class:`~lived_experience.anonymise.Anonymiser` or coder once, on its first batch, and keeps it
in a module-level cache keyed by the settings: Spark reuses Python workers between tasks
(``spark.python.worker.reuse``, on by default), so a model is loaded once per worker, not once
per partition.

Batches go through the very stage functions the local engine uses
(:meth:`Anonymiser.anonymise_frame`, :func:`lived_experience.coding.code_frame`), so the
results are the same row for row. Anything that goes wrong in a worker is re-raised as a
:class:`SparkWorkerError` that names the exception type but withholds its message: a message
from a third-party library may quote a respondent's words, and Spark writes task failures to
the executor logs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lived_experience.errors import LivedExperienceError, SecretFileError

#: Extra columns the file engines carry through Spark (never written to outputs).
ROW_COLUMN = "__le_row"
INDEX_COLUMN = "__le_index"
CHUNK_COLUMN = "__le_chunk"
ENTITIES_COLUMN = "__le_entities"
SEGMENTS_COLUMN = "__le_segments"
#: Executor environment variable holding the secret as hex (a Databricks secret reference).
SECRET_ENV = "LIVED_EXPERIENCE_SECRET"
#: Testing aid: a path; if that file exists when a worker starts its second batch, the worker
#: deletes it and fails once, so the fault tests can watch Spark retry the task.
FAULT_FILE_ENV = "LIVED_EXPERIENCE_SPARK_FAULT_FILE"

_ENGINES: dict[str, Any] = {}


class SparkWorkerError(LivedExperienceError):
    """A Spark worker failed; the message names the exception type, never the data."""

    code = "LE061"


def secret_fingerprint(secret: bytes) -> str:
    """A short hash of the secret, to check that the workers read the driver's secret."""
    return hashlib.sha256(secret).hexdigest()[:16]


def read_secret(job: dict[str, Any]) -> bytes:
    """The pseudonym secret on a worker: ``job['secret_file']``, else ``$LIVED_EXPERIENCE_SECRET``.

    Never creates a secret (a worker-made secret would give tags that match nothing).
    """
    from lived_experience.anonymise.pseudonyms import load_or_create_secret

    path = job.get("secret_file")
    if path:
        if not Path(path).is_file():
            raise SecretFileError(
                f"a Spark worker cannot read the secret file '{path}'. Fix: put the secret "
                "file where every worker can read it (a shared volume), or set "
                f"{SECRET_ENV} in the cluster's environment."
            )
        secret = load_or_create_secret(path)
    elif os.environ.get(SECRET_ENV):
        try:
            secret = bytes.fromhex(os.environ[SECRET_ENV].strip())
        except ValueError:
            raise SecretFileError(
                f"{SECRET_ENV} on a Spark worker is not hex. Fix: set it to the contents of "
                "the project secret file."
            ) from None
    else:
        raise SecretFileError(
            "the Spark workers have no pseudonym secret. Fix: pass secret_file= with a path "
            f"every worker can read, or set {SECRET_ENV} in the cluster's environment."
        )
    expected = job.get("secret_fingerprint")
    if expected and secret_fingerprint(secret) != expected:
        raise SecretFileError(
            "the secret a Spark worker read differs from the driver's. Fix: give the workers "
            "the same secret file; tags made with another secret would not match."
        )
    return secret


def _cache_key(kind: str, job: dict[str, Any], fields: tuple[str, ...]) -> str:
    return kind + json.dumps({f: job.get(f) for f in fields}, sort_keys=True, default=str)


def worker_anonymiser(job: dict[str, Any]) -> Any:
    """The worker's :class:`Anonymiser` for ``job``'s settings and secret, built once."""
    key = _cache_key(
        "anonymise", job, ("settings", "secret_file", "secret_fingerprint", "secret_env")
    )
    if key not in _ENGINES:
        from lived_experience.anonymise import Anonymiser, AnonymiserSettings

        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        settings = AnonymiserSettings.model_validate(job["settings"])
        _ENGINES[key] = Anonymiser(settings, secret=read_secret(job))
    return _ENGINES[key]


def worker_coder(job: dict[str, Any]) -> Any:
    """The worker's coder for ``job``'s codebook, coder name, thresholds and model, built once."""
    key = _cache_key("code", job, ("codebook", "coder", "thresholds", "embedding_model"))
    if key not in _ENGINES:
        from lived_experience.codebook.model import Codebook
        from lived_experience.coding import Embedder, build_coder

        codebook = Codebook.model_validate(job["codebook"])
        name = job["coder"]
        # No embedding cache on workers: many processes writing one SQLite file would block.
        coder = (
            build_coder(name, codebook)
            if name in {"rule", "rule_coder.v1"}
            else build_coder(
                name, codebook, embedder=Embedder(job.get("embedding_model"), cache_path=False)
            )
        )
        if job.get("thresholds") and hasattr(coder, "thresholds"):
            coder.thresholds = dict(job["thresholds"])
        _ENGINES[key] = coder
    return _ENGINES[key]


def _maybe_fail_once(batch_number: int) -> None:
    flag = os.environ.get(FAULT_FILE_ENV)
    if flag and batch_number == 1:
        try:
            os.remove(flag)  # only one task can win the removal
        except FileNotFoundError:
            return
        raise RuntimeError("injected fault (testing aid)")


def _guarded(
    process: Callable[[pd.DataFrame, dict[str, Any]], pd.DataFrame],
    batches: Iterator[pd.DataFrame],
    job: dict[str, Any],
    stage: str,
) -> Iterator[pd.DataFrame]:
    for number, batch in enumerate(batches):
        try:
            _maybe_fail_once(number)
            result = process(batch, job)
        except LivedExperienceError:
            raise
        except Exception as exc:  # the message may quote data: name the type only
            raise SparkWorkerError(
                f"{type(exc).__name__} in a Spark {stage} worker (its message is withheld "
                "because it may quote data). Fix: run the same input with the local engine "
                "to see the full error."
            ) from None
        yield result


def _named(batch: pd.DataFrame, job: dict[str, Any]) -> tuple[pd.DataFrame, list[str]]:
    """The batch's data columns under their real names (file engines rename them c0, c1...)."""
    extras = {ROW_COLUMN, INDEX_COLUMN, CHUNK_COLUMN}
    data_columns = [c for c in batch.columns if c not in extras]
    work = batch[data_columns].copy()
    if job.get("names"):
        work.columns = list(job["names"])
    if INDEX_COLUMN in batch.columns:
        work.index = pd.Index(batch[INDEX_COLUMN].to_numpy())
    return work, data_columns


def _rows_of(work: pd.DataFrame, id_column: str | None) -> dict[str, int]:
    ids = work[id_column].astype(str).tolist() if id_column else [str(i) for i in work.index]
    return {record_id: position for position, record_id in enumerate(ids)}


def _json_by_row(frame: pd.DataFrame, rows: dict[str, int], id_field: str, n: int) -> list[str]:
    """One JSON document per row holding that row's records of ``frame`` (empty: "")."""
    out: list[list[list[object]]] = [[] for _ in range(n)]
    if len(frame):
        records = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
        for record_id, record in zip(frame[id_field].astype(str), records, strict=True):
            out[rows[record_id]].append([_plain(v) for v in record])
    header = {"columns": list(map(str, frame.columns)), "dtypes": [str(t) for t in frame.dtypes]}
    return [json.dumps({**header, "rows": rows_}) if rows_ else "" for rows_ in out]


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    return value


def anonymise_batch(batch: pd.DataFrame, job: dict[str, Any]) -> pd.DataFrame:
    """Anonymise one Arrow batch with the worker's engine; same columns back."""
    anonymiser = worker_anonymiser(job)
    work, data_columns = _named(batch, job)
    result = anonymiser.anonymise_frame(
        work, job["text_columns"], job.get("id_column"), decisions=job.get("decisions")
    )
    out = batch.copy()
    text = set(job["text_columns"])
    for position, column in enumerate(data_columns):
        if work.columns[position] in text:
            out[column] = result.frame.iloc[:, position].to_numpy()
    if job.get("entities"):
        rows = _rows_of(work, job.get("id_column"))
        out[ENTITIES_COLUMN] = _json_by_row(result.entities, rows, "record_id", len(out))
    return out


def code_batch(batch: pd.DataFrame, job: dict[str, Any]) -> pd.DataFrame:
    """Code one Arrow batch with the worker's coder: ``codes``, ``score:<code>`` (+ segments)."""
    from lived_experience.coding import code_frame

    coder = worker_coder(job)
    work, _ = _named(batch, job)
    coded = code_frame(work, job["text_columns"], job["id_column"], coder)
    out = batch.copy()
    out[job["codes_column"]] = coded.frame["codes"].to_numpy()
    for code_id, column in zip(job["code_ids"], job["score_columns"], strict=True):
        out[column] = coded.frame[f"score:{code_id}"].to_numpy()
    if job.get("segments"):
        rows = _rows_of(work, job["id_column"])
        out[SEGMENTS_COLUMN] = _json_by_row(coded.segments, rows, "id", len(out))
    return out


def anonymise_partition(
    batches: Iterator[pd.DataFrame], job: dict[str, Any]
) -> Iterator[pd.DataFrame]:
    """``mapInPandas`` body for anonymisation (bind ``job`` with ``functools.partial``)."""
    yield from _guarded(anonymise_batch, batches, job, "anonymise")


def code_partition(batches: Iterator[pd.DataFrame], job: dict[str, Any]) -> Iterator[pd.DataFrame]:
    """``mapInPandas`` body for coding."""
    yield from _guarded(code_batch, batches, job, "code")


def frame_from_json(documents: list[str], columns: list[str]) -> pd.DataFrame:
    """Rebuild the records :func:`_json_by_row` stored, with the worker's dtypes."""
    rows: list[list[object]] = []
    header: dict[str, Any] | None = None
    for document in documents:
        if document:
            parsed = json.loads(document)
            header = header or parsed
            rows.extend(parsed["rows"])
    if header is None:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows, columns=header["columns"])
    for column, dtype in zip(header["columns"], header["dtypes"], strict=True):
        if dtype.startswith(("int", "float", "bool")):
            frame[column] = frame[column].astype(dtype)
    return frame
