"""Anonymise whole files: survey exports (streamed in chunks) and transcript folders.

Every input row comes out, in order, with its id; only the chosen text columns change;
outputs are written to temporary files and renamed into place at the end, so an interrupted
run leaves no half-written output; text cells that a spreadsheet would run as formulas are
escaped in the output.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lived_experience.anonymise.engine import ENTITY_COLUMNS, Anonymiser
from lived_experience.anonymise.review import (
    Decisions,
    ReviewCell,
    review_cells,
    write_review_html,
)
from lived_experience.errors import DuplicateIdError, InputFileError
from lived_experience.ingest import read_survey, read_transcripts
from lived_experience.ingest.text_files import check_readable
from lived_experience.output import atomic_path, escape_formulas, write_table
from lived_experience.schemas import require_columns

Progress = Callable[[int], None]
REVIEW_LIMIT = 5000


@dataclass
class AnonymisationSummary:
    """Counts for the run log and the report: never any values."""

    rows: int = 0
    cells_changed: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    flagged_indirect: int = 0
    entities: pd.DataFrame | None = None


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
    third = rows[2]
    # Qualtrics puts question texts and ImportId JSON in the two rows under the header.
    skip = [1, 2] if any(third) and all(
        c.startswith('{"ImportId"') for c in third if c.strip()) else []
    try:
        yield from pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False,
                               encoding=encoding, chunksize=chunk_size, skiprows=skip)
    except pd.errors.ParserError as exc:
        detail = str(exc).strip().splitlines()[-1]
        raise InputFileError(
            f"'{path}' is not a well-formed CSV ({detail}). Fix: check that text with commas "
            "or line breaks is quoted."
        ) from None
    except pd.errors.EmptyDataError:
        raise InputFileError(f"'{path}' holds no data. Fix: export the survey again.") from None


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
) -> AnonymisationSummary:
    """Anonymise a CSV/XLSX survey export or a transcript folder into ``output_path``.

    For a transcript folder the output is the segments table with ``text`` and ``speaker``
    anonymised (speaker names in Teams transcripts are identifiers too).

    Returns counts only (by entity type); the detected values are in the entities file.
    """
    input_path, output_path = Path(input_path), Path(output_path)
    if output_path.resolve() == input_path.resolve():
        raise InputFileError("the output would overwrite the input. Fix: choose another --output.")
    summary = AnonymisationSummary()
    cells: list[ReviewCell] = []
    entity_parts: list[pd.DataFrame] = []
    if input_path.is_dir():
        frame = read_transcripts(input_path)
        columns, key = ["text", "speaker"], "segment_id"
        frames: Iterator[pd.DataFrame] = iter([frame])
        suffix = output_path.suffix.lower()
    else:
        check_readable(input_path)
        suffix = input_path.suffix.lower()
        columns, key = list(text_columns), id_column
        if suffix == ".csv":
            frames = _csv_chunks(input_path, chunk_size)
        else:
            frames = iter([read_survey(input_path, id_column=id_column,
                                       text_columns=text_columns)])
        suffix = output_path.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise InputFileError(f"'{output_path}': the output must end in .csv or .xlsx.")
    seen: set[str] = set()
    with contextlib.ExitStack() as stack:
        tmp = stack.enter_context(atomic_path(output_path))
        out_parts: list[pd.DataFrame] = []
        first = True
        for chunk in frames:
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
            if key is None:
                chunk = chunk.copy()
                chunk.index = range(summary.rows, summary.rows + len(chunk))
            result = anonymiser.anonymise_frame(chunk, columns, key, decisions=decisions)
            safe = escape_formulas(result.frame, columns)
            if suffix == ".csv":
                safe.to_csv(tmp, mode="w" if first else "a", header=first, index=False,
                            encoding="utf-8", lineterminator="\n")
            else:
                out_parts.append(safe)
            first = False
            if review_path is not None and len(cells) < REVIEW_LIMIT:
                cells += review_cells(chunk, result.entities, columns, key,
                                      REVIEW_LIMIT - len(cells))
            entity_parts.append(result.entities)
            summary.rows += len(chunk)
            changed = result.entities[result.entities["replacement"] != ""]
            summary.cells_changed += changed[["record_id", "field"]].drop_duplicates().shape[0]
            summary.by_type.update(changed["entity_type"].tolist())
            summary.flagged_indirect += int((result.entities["risk"] == "high").sum())
            if progress:
                progress(len(chunk))
        if first:
            raise InputFileError(f"'{input_path}' holds no rows. Fix: check the export.")
        if suffix == ".xlsx":
            pd.concat(out_parts).to_excel(tmp, index=False, engine="openpyxl")
    entities = (pd.concat(entity_parts, ignore_index=True) if entity_parts
                else pd.DataFrame(columns=list(ENTITY_COLUMNS)))
    summary.entities = entities
    if entities_path is not None:
        write_table(entities, entities_path, escape_columns=["original", "replacement"],
                    mode=0o600)
    if review_path is not None:
        counts = entities.groupby("entity_type").size().to_dict() if len(entities) else {}
        write_review_html(cells, counts, review_path, truncated=len(cells) >= REVIEW_LIMIT)
    return summary
