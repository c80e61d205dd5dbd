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

import codecs
import csv
import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from lived_experience.anonymise.engine import Anonymiser
from lived_experience.anonymise.review import Decisions, ReviewCell, write_review_html
from lived_experience.errors import DuplicateIdError, InputFileError, LivedExperienceError
from lived_experience.ingest import read_survey, read_transcripts
from lived_experience.ingest.text_files import check_readable
from lived_experience.output import escape_formulas, unescape_formula, write_text_atomic
from lived_experience.schemas import require_columns

Progress = Callable[[int], None]
REVIEW_LIMIT = 5000
CHECKPOINT_VERSION = 1


@dataclass
class AnonymisationSummary:
    """Counts for the run log and the report: never any values."""

    rows: int = 0
    resumed_rows: int = 0
    cells_changed: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    flagged_indirect: int = 0
    #: tag -> distinct original values (for the re-identification key; SENSITIVE)
    tag_values: dict[str, list[str]] = field(default_factory=dict)


def _decodes(path: Path, encoding: str) -> int | None:
    """None if the whole file decodes as ``encoding`` (streamed), else the failing line."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 1
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                return lines + block[: exc.start].count(b"\n")
            lines += block.count(b"\n")
    return None


def _detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, else a clear error naming the line."""
    if _decodes(path, "utf-8") is None:
        return "utf-8-sig"
    line = _decodes(path, "cp1252")
    if line is None:
        return "cp1252"
    raise InputFileError(
        f"'{path}': bytes on line {line} are neither UTF-8 nor Windows-1252 text. Fix: open "
        "the file in Excel or a text editor and save it as 'CSV UTF-8'."
    )


def _csv_chunks(path: Path, chunk_size: int) -> Iterator[pd.DataFrame]:
    encoding = _detect_encoding(path)
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle)
        try:
            rows = [next(reader, []) for _ in range(3)]
        except csv.Error:
            rows = [[], [], []]
    if not rows[0]:
        raise InputFileError(f"'{path}' holds no data. Fix: export the survey again.")
    third = rows[2]
    # Qualtrics puts question texts and ImportId JSON in the two rows under the header.
    skip = (
        [1, 2]
        if any(third) and all(c.startswith('{"ImportId"') for c in third if c.strip())
        else []
    )
    try:
        yield from pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            encoding=encoding,
            chunksize=chunk_size,
            skiprows=skip,
        )
    except pd.errors.ParserError as exc:
        detail = str(exc).strip().splitlines()[-1]
        raise InputFileError(
            f"'{path}' is not a well-formed CSV ({detail}). Fix: check that text with commas "
            "or line breaks is quoted."
        ) from None


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
    """Partial output files with a checkpoint after each chunk (CSV outputs only)."""

    def __init__(self, output: Path, entities: Path, identity: dict[str, Any]) -> None:
        self.output, self.entities = output, entities
        self.partial = output.with_name(f".{output.name}.partial")
        self.entities_partial = entities.with_name(f".{entities.name}.partial")
        self.checkpoint = output.with_name(f".{output.name}.checkpoint.json")
        self.identity = identity
        self.chunks_done = 0
        self.rows_done = 0
        state = self._read_checkpoint()
        output.parent.mkdir(parents=True, exist_ok=True)
        entities.parent.mkdir(parents=True, exist_ok=True)
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
            with path.open("a", encoding="utf-8", newline="") as handle:
                data.to_csv(handle, header=first, index=False, lineterminator="\n")
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
        write_text_atomic(self.checkpoint, json.dumps(state, sort_keys=True))

    def discard(self) -> None:
        """Remove the partial files and checkpoint (a data error: resuming cannot help)."""
        for path in (self.partial, self.entities_partial, self.checkpoint):
            path.unlink(missing_ok=True)

    def finish(self, entities_mode: int = 0o600) -> None:
        os.chmod(self.entities_partial, entities_mode)
        os.replace(self.partial, self.output)
        os.replace(self.entities_partial, self.entities)
        self.checkpoint.unlink(missing_ok=True)


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
    if input_path.suffix.lower() == ".csv":
        return _csv_chunks(input_path, chunk_size), list(text_columns), id_column
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
    sheet: str | int = 0,
) -> AnonymisationSummary:
    """Anonymise a CSV/XLSX survey export or a transcript folder into ``output_path``.

    ``sheet`` picks the worksheet of an XLSX input (name or 0-based number); an XLSX output
    keeps that sheet's name.

    For a transcript folder the output is the segments table with ``text`` and ``speaker``
    anonymised (speaker names in Teams transcripts are identifiers too).

    Returns counts (by entity type, never values) and the tag -> value mapping for an
    optional re-identification key.
    """
    input_path, output_path = Path(input_path), Path(output_path)
    if output_path.resolve() == input_path.resolve():
        raise InputFileError("the output would overwrite the input. Fix: choose another --output.")
    suffix = output_path.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise InputFileError(f"'{output_path}': the output must end in .csv or .xlsx.")
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
        )
    except LivedExperienceError:
        writer.discard()
        raise
    writer.finish()
    if suffix == ".xlsx":
        from lived_experience.ingest.survey import sheet_name
        from lived_experience.output import write_table

        name = sheet_name(input_path, sheet) if input_path.suffix.lower() == ".xlsx" else "Sheet1"
        write_table(
            pd.read_csv(csv_out, dtype=str, keep_default_na=False), output_path, sheet_name=name
        )
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
    if entities_path is None:
        entities_out.unlink()
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
) -> None:
    seen: set[str] = set()
    for index, chunk in enumerate(frames):
        require_columns(chunk, [*columns, *([key] if key else [])], f"'{input_path}'")
        if key:
            ids = chunk[key].astype(str)
            duplicated = ids[ids.duplicated() | ids.isin(seen)]
            if len(duplicated):
                raise DuplicateIdError(
                    f"'{input_path}': id '{duplicated.iloc[0]}' appears more than once in "
                    f"column '{key}'. Fix: choose a column that identifies each row."
                )
            seen.update(ids)
        else:
            chunk = chunk.copy()
            chunk.index = range(index * chunk_size, index * chunk_size + len(chunk))
        summary.rows += len(chunk)
        if index < writer.chunks_done:
            if progress:
                progress(len(chunk))
            continue
        result = anonymiser.anonymise_frame(chunk, columns, key, decisions=decisions)
        writer.append(
            escape_formulas(result.frame, columns),
            escape_formulas(result.entities, ["original", "replacement"]),
        )
        if progress:
            progress(len(chunk))
    if summary.rows == 0:
        raise InputFileError(f"'{input_path}' holds no rows. Fix: check the export.")


def _summarise(entities_path: Path, summary: AnonymisationSummary) -> None:
    changed_cells: set[tuple[str, str]] = set()
    for part in pd.read_csv(entities_path, dtype=str, keep_default_na=False, chunksize=50_000):
        replaced = part[part["replacement"] != ""]
        summary.by_type.update(replaced["entity_type"].tolist())
        summary.flagged_indirect += int((part["risk"] == "high").sum())
        changed_cells.update(zip(replaced["record_id"], replaced["field"], strict=True))
        for tag, original in zip(replaced["replacement"], replaced["original"], strict=True):
            values = summary.tag_values.setdefault(unescape_formula(tag), [])
            original = unescape_formula(original)
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
    entities = pd.read_csv(entities_path, dtype=str, keep_default_na=False, nrows=200_000)
    for column in ("original", "replacement"):
        entities[column] = entities[column].map(unescape_formula)
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
    write_review_html(cells, counts, review_path, truncated=len(cells) >= REVIEW_LIMIT)
