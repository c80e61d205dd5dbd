"""Anonymise whole files: survey exports (streamed in chunks) and transcript folders.

Every input row comes out, in order, with its id; only the chosen text columns change; text
cells a spreadsheet would run as formulas are escaped. Outputs are written to partial files
beside their destination and renamed into place at the end, so no half-written output ever
carries the final name. A CSV run records a checkpoint after each chunk (counts and hashes,
never data): run the same command again after an interruption and it resumes after the last
completed chunk, without losing or duplicating rows. Memory stays bounded by the chunk size:
detections go straight to disk.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from lived_experience.anonymise.engine import ENTITY_COLUMNS, AnonymisedFrame, Anonymiser
from lived_experience.anonymise.review import Decisions, ReviewCell, write_review_html
from lived_experience.errors import InputFileError
from lived_experience.ingest import (
    check_ids,
    iter_table_chunks,
    read_survey,
    read_table,
    read_transcripts,
)
from lived_experience.ingest.text_files import check_readable
from lived_experience.output import format_csv, write_table, write_text_atomic
from lived_experience.output_safety import (
    check_output_path,
    check_sensitive_path,
    environment_errors,
    open_private_work_dir,
    output_locks,
    remove_work_dir,
)
from lived_experience.schemas import require_columns

Progress = Callable[[int], None]
#: Anonymises checked chunks (chunks, text columns, id column, decisions), one result per chunk
#: in order: the local engine by default, or another (``lived_experience.spark``).
ChunkEngine = Callable[
    [Iterator[pd.DataFrame], list[str], str | None, "Decisions | None"], Iterator[AnonymisedFrame]
]
REVIEW_LIMIT = 5000
OUTPUT_SUFFIXES = frozenset({".csv", ".xlsx", ".parquet"})
CHECKPOINT_VERSION = 1


@dataclass
class AnonymisationSummary:
    """Counts for the run log and the report: never any values."""

    rows: int = 0
    resumed_rows: int = 0
    cells_changed: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    flagged_indirect: int = 0
    #: flagged indirect identifiers replaced by a generalisation (the rest a reviewer kept)
    generalised_indirect: int = 0
    #: tag -> distinct original values (for the re-identification key; SENSITIVE)
    tag_values: dict[str, list[str]] = field(default_factory=dict)


def _parquet_chunks(path: Path, chunk_size: int) -> Iterator[pd.DataFrame]:
    """A Parquet file in chunks, every cell as text (nulls as ""), like the CSV reader."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(path)
    except (OSError, pa.ArrowException):
        raise InputFileError(
            f"'{path}' is not a readable Parquet file. Fix: write it again (for example "
            "with pandas.DataFrame.to_parquet) or export CSV."
        ) from None
    start = 0
    for batch in source.iter_batches(batch_size=chunk_size):
        columns = [
            column.cast(pa.string()).fill_null("") if column.type != pa.string() else column
            for column in batch.columns
        ]
        text = pa.RecordBatch.from_arrays(
            [c.fill_null("") for c in columns], names=batch.schema.names
        )
        frame = text.to_pandas()
        frame.index = range(start, start + len(frame))
        start += len(frame)
        yield frame


def _write_parquet(frame_csv: Path, destination: Path) -> None:
    """The finished CSV output as Parquet (all columns text), written atomically."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from lived_experience.output import atomic_path

    frame = read_table(frame_csv, check_cell_size=False)
    # The reader's attrs name the private temporary file; pandas would store them in the
    # Parquet metadata, so two runs to different paths would differ (and leak a file name).
    frame.attrs = {}
    with atomic_path(destination) as tmp:
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp)


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    if path.is_dir():
        for child in sorted(path.iterdir()):
            if child.is_file():
                digest.update(child.name.encode() + b"\0" + child.read_bytes())
        return digest.hexdigest()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


class _ResumableWriter:
    """Partial output files with a checkpoint after each chunk (CSV outputs only).

    The partial files and the checkpoint live in private 0700 folders beside each
    destination (files 0600: the entities partial holds original values); the folders are
    removed when the run finishes or fails, and kept after an interruption to resume.
    """

    def __init__(self, output: Path, entities: Path, identity: dict[str, Any]) -> None:
        self.output, self.entities = output, entities
        self.work = open_private_work_dir(output)
        entities_work = open_private_work_dir(entities)
        self.partial = self.work / "output.partial"
        self.entities_partial = entities_work / "entities.partial"
        self.checkpoint = self.work / "checkpoint.json"
        self.identity = identity
        self.chunks_done = 0
        self.rows_done = 0
        state = self._read_checkpoint()
        if state is not None:
            self.chunks_done, self.rows_done = int(state["chunks"]), int(state["rows"])
            for path, size in (
                (self.partial, state["output_bytes"]),
                (self.entities_partial, state["entities_bytes"]),
            ):
                with path.open("r+b") as handle:
                    handle.truncate(int(size))  # drop anything written after the checkpoint
        else:
            for path in (self.partial, self.entities_partial, self.checkpoint):
                path.unlink(missing_ok=True)

    def _read_checkpoint(self) -> dict[str, Any] | None:
        if not self.checkpoint.exists():
            return None
        try:
            state: dict[str, Any] = json.loads(self.checkpoint.read_text(encoding="utf-8"))
        except ValueError:
            return None
        if state.get("identity") != self.identity or not (
            self.partial.exists() and self.entities_partial.exists()
        ):
            return None
        return state

    def append(self, frame: pd.DataFrame, entities: pd.DataFrame) -> None:
        first = self.chunks_done == 0
        for data, path in ((frame, self.partial), (entities, self.entities_partial)):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(format_csv(data, header=first).encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
        self.chunks_done += 1
        self.rows_done += len(frame)
        state = {
            "version": CHECKPOINT_VERSION,
            "identity": self.identity,
            "chunks": self.chunks_done,
            "rows": self.rows_done,
            "output_bytes": self.partial.stat().st_size,
            "entities_bytes": self.entities_partial.stat().st_size,
        }
        write_text_atomic(self.checkpoint, json.dumps(state, sort_keys=True), mode=0o600)

    def discard(self) -> None:
        """Remove the partial files and checkpoint (a data error: resuming cannot help)."""
        remove_work_dir(self.output)
        remove_work_dir(self.entities)

    def finish(self, entities_mode: int = 0o600) -> None:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.partial, 0o666 & ~umask)
        os.chmod(self.entities_partial, entities_mode)
        os.replace(self.partial, self.output)
        os.replace(self.entities_partial, self.entities)
        self.discard()


def _input_frames(
    input_path: Path,
    text_columns: Sequence[str],
    id_column: str | None,
    chunk_size: int,
    sheet: str | int = 0,
) -> tuple[Iterator[pd.DataFrame], list[str], str | None]:
    if input_path.is_dir():
        return iter([read_transcripts(input_path)]), ["text", "speaker"], "segment_id"
    check_readable(input_path)
    if input_path.suffix.lower() in {".csv", ".tsv"}:
        return iter_table_chunks(input_path, chunk_size), list(text_columns), id_column
    if input_path.suffix.lower() == ".parquet":
        return _parquet_chunks(input_path, chunk_size), list(text_columns), id_column
    frame = read_survey(input_path, id_column=id_column, text_columns=text_columns, sheet=sheet)
    return iter([frame]), list(text_columns), id_column


def anonymise_file(
    input_path: str | Path,
    output_path: str | Path,
    text_columns: Sequence[str],
    id_column: str | None,
    anonymiser: Anonymiser,
    entities_path: str | Path | None = None,
    review_path: str | Path | None = None,
    decisions: Decisions | None = None,
    chunk_size: int = 5000,
    progress: Progress | None = None,
    engine: ChunkEngine | None = None,
    sheet: str | int = 0,
) -> AnonymisationSummary:
    """Anonymise a CSV/XLSX/Parquet survey export or a transcript folder into ``output_path``.

    ``sheet`` picks the worksheet of an XLSX input (name or 0-based number); an XLSX output
    keeps that sheet's name.

    For a transcript folder the output is the segments table with ``text`` and ``speaker``
    anonymised (speaker names in Teams transcripts are identifiers too).

    Returns counts (by entity type, never values) and the tag -> value mapping for an
    optional re-identification key. ``engine`` runs the anonymisation of the checked chunks
    (default: ``anonymiser`` in this process; :func:`lived_experience.spark.anonymise_engine`
    for Spark); reading, checks and writing are the same whichever runs it.
    """
    input_path, output_path = Path(input_path), Path(output_path)
    suffix = output_path.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise InputFileError(f"'{output_path}': the output must end in .csv, .xlsx or .parquet.")
    check_anonymise_paths(input_path, output_path, entities_path, review_path, decisions_path=None)
    with output_locks([output_path, entities_path, review_path]):
        return _anonymise_locked(
            input_path,
            output_path,
            text_columns,
            id_column,
            anonymiser,
            entities_path,
            review_path,
            decisions,
            chunk_size,
            progress,
            engine,
            sheet,
        )


def check_anonymise_paths(
    input_path: str | Path,
    output_path: str | Path,
    entities_path: str | Path | None = None,
    review_path: str | Path | None = None,
    decisions_path: str | Path | None = None,
    key_path: str | Path | None = None,
) -> None:
    """Every check on the paths of an anonymisation run, before its first byte is written.

    No output may be an input; the sensitive files (entities, review page, key) may not sit
    beside the shareable output.
    """
    inputs = [input_path, decisions_path]
    for option, path in (
        ("--output", output_path),
        ("--entities", entities_path),
        ("--review", review_path),
        ("--key", key_path),
    ):
        if path is not None:
            check_output_path(inputs, path, option)
    outputs = [p for p in (output_path, entities_path, review_path, key_path) if p is not None]
    if len({Path(p).resolve() for p in outputs}) < len(outputs):
        raise InputFileError(
            "two of --output, --entities, --review and --key name the same file. Fix: give "
            "each its own path."
        )
    for what, path in (
        ("the entities file (original values, SENSITIVE)", entities_path),
        ("the review page (SENSITIVE)", review_path),
    ):
        if path is not None:
            check_sensitive_path(path, what, outputs=[output_path])


def preflight_anonymise(
    input_path: str | Path,
    output_path: str | Path,
    text_columns: Sequence[str],
    id_column: str | None,
    quasi_identifiers: Sequence[str] = (),
    entities_path: str | Path | None = None,
    review_path: str | Path | None = None,
    decisions_path: str | Path | None = None,
    key_path: str | Path | None = None,
    passphrase: str = "",
    allow_key_in_output: bool = False,
) -> None:
    """Every check of an ``anonymise`` command that can fail, before anything is written.

    Paths (:func:`check_anonymise_paths`), the re-identification key's place and passphrase,
    and that every named column, quasi-identifiers included, is in the input's header.
    """
    from lived_experience.anonymise.reid_key import check_key_destination, check_passphrase

    input_path, output_path = Path(input_path), Path(output_path)
    if output_path.suffix.lower() not in OUTPUT_SUFFIXES:
        raise InputFileError(f"'{output_path}': the output must end in .csv, .xlsx or .parquet.")
    check_anonymise_paths(
        input_path, output_path, entities_path, review_path, decisions_path, key_path
    )
    if key_path is not None:
        check_key_destination(key_path, output_path.parent, allow_key_in_output)
        check_passphrase(passphrase)
    if input_path.is_dir():
        if quasi_identifiers:
            raise InputFileError(
                "disclosure control (--quasi-identifier) needs a survey file, not a transcript "
                "folder. Fix: drop --quasi-identifier for transcripts."
            )
        return
    wanted = [*text_columns, *([id_column] if id_column else []), *quasi_identifiers]
    require_columns(table_sample(input_path), wanted, f"'{input_path}'")


def table_sample(path: Path, rows: int = 50) -> pd.DataFrame:
    """The header and first rows of a survey file (CSV reads one small chunk only), so a
    missing-column error can tell a header from a response (never quoting the latter)."""
    if path.suffix.lower() in {".csv", ".tsv"}:
        first = next(iter_table_chunks(path, rows), None)
        if first is None:
            raise InputFileError(f"'{path}' has a header row but no rows. Fix: check the export.")
        return first
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        return pd.DataFrame(columns=[str(c) for c in pq.read_schema(path).names])
    return read_survey(path).head(rows)


def table_columns(path: Path) -> list[str]:
    """The column names of a survey file (the header is checked; CSV reads one chunk only)."""
    return [str(c) for c in table_sample(path, 1).columns]


def _anonymise_locked(
    input_path: Path,
    output_path: Path,
    text_columns: Sequence[str],
    id_column: str | None,
    anonymiser: Anonymiser,
    entities_path: str | Path | None,
    review_path: str | Path | None,
    decisions: Decisions | None,
    chunk_size: int,
    progress: Progress | None,
    engine: ChunkEngine | None = None,
    sheet: str | int = 0,
) -> AnonymisationSummary:
    suffix = output_path.suffix.lower()
    frames, columns, key = _input_frames(input_path, text_columns, id_column, chunk_size, sheet)
    csv_out = output_path if suffix == ".csv" else output_path.with_name(f".{output_path.name}.csv")
    entities_out = (
        Path(entities_path) if entities_path else csv_out.with_name(f".{csv_out.name}.entities.csv")
    )
    identity = {
        "input": _file_hash(input_path),
        "settings": anonymiser.settings.fingerprint(),
        "secret": hashlib.sha256(anonymiser.tagger.secret).hexdigest()[:16],
        "columns": columns,
        "id": key,
        "chunk_size": chunk_size,
        "decisions": decisions.fingerprint() if decisions else "",
    }
    with environment_errors(csv_out):
        writer = _ResumableWriter(csv_out, entities_out, identity)
    summary = AnonymisationSummary(resumed_rows=writer.rows_done)
    try:
        _process(
            frames,
            columns,
            key,
            input_path,
            anonymiser,
            writer,
            summary,
            decisions,
            chunk_size,
            progress,
            engine,
        )
        with environment_errors(csv_out):
            writer.finish()
        if suffix == ".xlsx":
            from lived_experience.ingest.survey import sheet_name

            name = (
                sheet_name(input_path, sheet) if input_path.suffix.lower() == ".xlsx" else "Sheet1"
            )
            write_table(read_table(csv_out, check_cell_size=False), output_path, sheet_name=name)
            csv_out.unlink()
        elif suffix == ".parquet":
            _write_parquet(csv_out, output_path)
            csv_out.unlink()
        _summarise(entities_out, summary)
        if review_path is not None:
            _write_review(
                input_path,
                text_columns,
                id_column,
                chunk_size,
                entities_out,
                Path(review_path),
                summary,
            )
    except BaseException as exc:
        from lived_experience.errors import LivedExperienceError

        if isinstance(exc, LivedExperienceError):
            writer.discard()
            if suffix != ".csv":
                csv_out.unlink(missing_ok=True)
        raise
    finally:
        if entities_path is None:
            entities_out.unlink(missing_ok=True)
    return summary


def _process(
    frames: Iterator[pd.DataFrame],
    columns: list[str],
    key: str | None,
    input_path: Path,
    anonymiser: Anonymiser,
    writer: _ResumableWriter,
    summary: AnonymisationSummary,
    decisions: Decisions | None,
    chunk_size: int,
    progress: Progress | None,
    engine: ChunkEngine | None = None,
) -> None:
    def checked() -> Iterator[pd.DataFrame]:
        """The chunks still to do, each checked (columns, unique ids) before it is handed on."""
        seen: set[str] = set()
        first_row = 1
        for index, chunk in enumerate(frames):
            require_columns(chunk, [*columns, *([key] if key else [])], f"'{input_path}'")
            if key:
                check_ids(chunk[key], key, input_path, seen=seen, first_row=first_row)
            first_row += len(chunk)
            if not key:
                chunk = chunk.copy()
                chunk.index = range(index * chunk_size, index * chunk_size + len(chunk))
            summary.rows += len(chunk)
            if index < writer.chunks_done:
                if progress:
                    progress(len(chunk))
                continue
            yield chunk
        if summary.rows == 0:
            raise InputFileError(f"'{input_path}' holds no rows. Fix: check the export.")

    def local(
        chunks: Iterator[pd.DataFrame],
        columns: list[str],
        key: str | None,
        decisions: Decisions | None,
    ) -> Iterator[AnonymisedFrame]:
        for chunk in chunks:
            yield anonymiser.anonymise_frame(chunk, columns, key, decisions=decisions)

    for result in (engine or local)(checked(), columns, key, decisions):
        writer.append(result.frame, result.entities)
        if progress:
            progress(len(result.frame))


def _summarise(entities_path: Path, summary: AnonymisationSummary) -> None:
    changed_cells: set[tuple[str, str]] = set()
    for part in iter_table_chunks(entities_path, 50_000):
        replaced = part[part["replacement"] != ""]
        summary.by_type.update(replaced["entity_type"].tolist())
        summary.flagged_indirect += int((part["risk"] == "high").sum())
        indirect = replaced["entity_type"] == "INDIRECT_IDENTIFIER"
        summary.generalised_indirect += int(indirect.sum())
        changed_cells.update(zip(replaced["record_id"], replaced["field"], strict=True))
        tagged = replaced[~indirect]  # a generalisation is not a pseudonym: not in the key
        for tag, original in zip(tagged["replacement"], tagged["original"], strict=True):
            values = summary.tag_values.setdefault(tag, [])
            if original not in values:
                values.append(original)
    summary.cells_changed = len(changed_cells)


def _write_review(
    input_path: Path,
    text_columns: Sequence[str],
    id_column: str | None,
    chunk_size: int,
    entities_path: Path,
    review_path: Path,
    summary: AnonymisationSummary,
) -> None:
    """Build the review page from the entities file and a second, NLP-free pass over the input."""
    entities = next(
        iter_table_chunks(entities_path, 200_000), pd.DataFrame(columns=list(ENTITY_COLUMNS))
    )
    wanted = {k: g for k, g in entities.groupby(["record_id", "field"], sort=False)}
    cells: list[ReviewCell] = []
    frames, columns, key = _input_frames(input_path, text_columns, id_column, chunk_size)
    for index, chunk in enumerate(frames):
        ids = (
            chunk[key].astype(str).tolist()
            if key
            else [str(index * chunk_size + i) for i in range(len(chunk))]
        )
        for position, record_id in enumerate(ids):
            for column in columns:
                group = wanted.get((record_id, column))
                if group is not None and len(cells) < REVIEW_LIMIT:
                    cells.append((record_id, column, str(chunk[column].iloc[position]), group))
        if len(cells) >= REVIEW_LIMIT:
            break
    counts = dict(summary.by_type)
    if summary.flagged_indirect:
        counts["INDIRECT_IDENTIFIER (flagged)"] = summary.flagged_indirect
        counts["INDIRECT_IDENTIFIER (kept by reviewer)"] = (
            summary.flagged_indirect - summary.generalised_indirect
        )
    write_review_html(cells, counts, review_path, truncated=len(cells) >= REVIEW_LIMIT)
