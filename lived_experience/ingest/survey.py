"""Read tables: survey exports (CSV in the encodings Excel writes, XLSX, Qualtrics CSV) and
the toolkit's own outputs. This is the one reader of tables in the toolkit.

Every cell is read as a string exactly as it is in the file (no numbers, dates or "NA"
guessed), so ids with leading zeros and answers like "N/A" come back unchanged, and writing
the frame back out changes only what a later stage changes. Before any work the header is
checked (no blank or repeated column names: a repeated name would let a second copy of a text
column pass through un-anonymised), the encoding is detected without guessing (see
:mod:`lived_experience.ingest.text_files`), archives are checked for zip bombs and every
cell against the size limit (:mod:`lived_experience.ingest.limits`). The apostrophe the
toolkit's writer puts before formula-like cells is removed again, so a table written by
:func:`lived_experience.output.write_table` reads back as it was.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from lived_experience.errors import (
    DuplicateIdError,
    InputFileError,
    LivedExperienceError,
    MissingColumnError,
)
from lived_experience.ingest.limits import check_archive, check_cells
from lived_experience.ingest.text_files import check_readable, decode_bytes, detect_encoding
from lived_experience.output import unescape_formula
from lived_experience.schemas import column_names_for_message, require_columns

SURVEY_SUFFIXES = (".csv", ".xlsx", ".tsv")
_READ = {"dtype": str, "keep_default_na": False, "na_filter": False}


def check_header(names: Sequence[object], path: Path | str) -> list[str]:
    """Refuse blank or repeated column names; return the names as strings.

    >>> check_header(["id", "q"], "x.csv")
    ['id', 'q']
    """
    header = ["" if n is None else str(n) for n in names]
    for number, name in enumerate(header, start=1):
        if not name.strip():
            raise InputFileError(
                f"'{path}': column {number} of the header has no name. Fix: name every column "
                "(or delete the empty column) and export again."
            )
    seen: dict[str, int] = {}
    for number, name in enumerate(header, start=1):
        if name in seen:
            raise InputFileError(
                f"'{path}': columns {seen[name]} and {number} are both called '{name}', so "
                "one of them could be processed and the other passed through unchanged. Fix: "
                "give every column a different name."
            )
        seen[name] = number
    return header


def _unescape(frame: pd.DataFrame) -> pd.DataFrame:
    for position in range(frame.shape[1]):
        frame.isetitem(
            position,
            frame.iloc[:, position].map(lambda v: unescape_formula(v) if isinstance(v, str) else v),
        )
    return frame


def _first_record(text: str, sep: str, path: Path) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(text), delimiter=sep), [])
    except csv.Error:
        raise InputFileError(
            f"'{path}': the header row is not well-formed CSV. Fix: export the file again."
        ) from None


def _parser_error(path: Path, exc: Exception) -> InputFileError:
    # pandas' message cites line numbers and field counts, never cell contents.
    detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    return InputFileError(
        f"'{path}' is not a well-formed CSV ({detail}). Fix: check that text with commas "
        "or line breaks is quoted; re-exporting from the survey tool usually does this."
    )


def _check_shape(frame: pd.DataFrame, header: list[str], path: Path) -> None:
    if not isinstance(frame.index, pd.RangeIndex) or list(frame.columns) != header:
        raise InputFileError(
            f"'{path}': data rows have more fields than the header has names. Fix: check that "
            "text with commas is quoted, and that every column has a name."
        )


def _read_csv_text(text: str, path: Path, sep: str = ",") -> pd.DataFrame:
    if not text.strip():
        raise InputFileError(
            f"'{path}' holds no data (only blank space). Fix: export the survey again."
        )
    header = check_header(_first_record(text, sep, path), path)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, **_READ)  # type: ignore[call-overload]
    except (pd.errors.ParserError, ValueError, csv.Error) as exc:
        raise _parser_error(path, exc) from None
    _check_shape(frame, header, path)
    return frame


def _xlsx_error(path: Path) -> InputFileError:
    head = path.read_bytes()[:512]
    stripped = head.lstrip().lower()
    if stripped.startswith((b"<", b"\xef\xbb\xbf<")):
        return InputFileError(
            f"'{path}' ends in .xlsx but is really an HTML page (some survey tools export "
            "'Excel' files this way). Fix: open it in Excel and 'Save As' Excel Workbook "
            "(.xlsx), or export the survey as CSV."
        )
    return InputFileError(
        f"'{path}' ends in .xlsx but is not an Excel workbook. Fix: export the survey "
        "again as .xlsx or CSV."
    )


def _read_xlsx(path: Path, sheet: str | int) -> pd.DataFrame:
    with path.open("rb") as handle:
        if handle.read(4) != b"PK\x03\x04":
            raise _xlsx_error(path)
    check_archive(path)  # before anything is decompressed
    try:
        raw = pd.read_excel(path, sheet_name=sheet, header=None, engine="openpyxl", **_READ)
    except (KeyError, ValueError) as exc:
        names = sheet_names(path)
        if names and (sheet not in names if isinstance(sheet, str) else sheet >= len(names)):
            raise InputFileError(
                f"'{path}' has no sheet {sheet!r}. Sheets in the workbook: "
                f"{', '.join(names)}. Fix: pass --sheet with one of those names."
            ) from None
        raise InputFileError(
            f"'{path}' could not be read as an Excel workbook ({type(exc).__name__}). Fix: "
            "open it in Excel and save it again, or export CSV."
        ) from None
    except (zipfile.BadZipFile, TypeError, OSError, EOFError) as exc:
        raise InputFileError(
            f"'{path}' could not be read as an Excel workbook ({type(exc).__name__}). Fix: "
            "open it in Excel and save it again, or export CSV."
        ) from None
    if raw.empty:
        raise InputFileError(f"'{path}': the worksheet is empty. Fix: export the survey again.")
    names = ["" if (isinstance(v, float) or v is None) else str(v) for v in raw.iloc[0]]
    header = check_header(names, path)
    frame = raw.iloc[1:].reset_index(drop=True)
    frame.columns = header
    return frame.map(lambda v: "" if v is None or (isinstance(v, float) and v != v) else str(v))


def sheet_names(path: str | Path) -> list[str]:
    """The worksheet names of an .xlsx workbook, in order ([] if it cannot be opened)."""
    try:
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True)
        try:
            return list(workbook.sheetnames)
        finally:
            workbook.close()
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return []


def sheet_name(path: str | Path, sheet: str | int = 0) -> str:
    """The name of ``sheet`` (a name or a 0-based number) in an .xlsx workbook."""
    if isinstance(sheet, str):
        return sheet
    names = sheet_names(path)
    return names[sheet] if 0 <= sheet < len(names) else "Sheet1"


def _drop_qualtrics_headers(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Remove Qualtrics' question-text and ImportId rows; return them as column labels."""
    if len(frame) < 2 or frame.empty:
        return frame, {}
    second = frame.iloc[1]
    is_import_row = all(
        str(value).startswith('{"ImportId"') for value in second if str(value).strip()
    ) and any(str(value).strip() for value in second)
    if not is_import_row:
        return frame, {}
    labels = {str(c): str(frame.iloc[0][c]) for c in frame.columns}
    for column in frame.columns:
        with contextlib.suppress(ValueError, KeyError, TypeError):
            labels[str(column)] = labels[str(column)] or json.loads(second[column])["ImportId"]
    return frame.iloc[2:].reset_index(drop=True), labels


def read_table(
    path: str | Path,
    sheet: str | int = 0,
    formula_escaped: bool = True,
    check_cell_size: bool = True,
    required_columns: Sequence[str] = (),
) -> pd.DataFrame:
    """Read a CSV, TSV or XLSX table into a DataFrame of strings, in file order.

    The checks of the module run first. A table with a header and no rows is returned empty
    (the toolkit writes those, e.g. a coded-segments file when nothing was coded).

    Parameters
    ----------
    formula_escaped:
        Remove the apostrophe :func:`~lived_experience.output.escape_formula` adds (default);
        ``False`` keeps every cell exactly as it is in the file.
    check_cell_size:
        Refuse cells over the size limit (default).
    required_columns:
        Columns the table must have (a clear error lists the missing ones).

    Examples
    --------
    >>> read_table("data/synthetic/wres/returns.csv")["org_code"].iloc[0]
    'SYN01'
    """
    path = Path(path)
    check_readable(path)
    suffix = path.suffix.lower()
    if suffix not in SURVEY_SUFFIXES:
        raise InputFileError(
            f"'{path}' has extension '{suffix}'; tables must be "
            f"{', '.join(SURVEY_SUFFIXES)}. Fix: export the data as CSV or XLSX."
        )
    if suffix == ".xlsx":
        frame = _read_xlsx(path, sheet)
        encoding = "xlsx"
    else:
        text, encoding = decode_bytes(path.read_bytes(), path)
        frame = _read_csv_text(text.lstrip("\ufeff"), path, sep="\t" if suffix == ".tsv" else ",")
    if check_cell_size:
        check_cells(frame, path)
    if formula_escaped:
        frame = _unescape(frame)
        frame.columns = [unescape_formula(str(c)) for c in frame.columns]
    require_columns(frame, list(required_columns), f"'{path}'")
    frame.attrs.update({"source": path.name, "encoding": encoding})
    return frame


def iter_table_chunks(
    path: str | Path, chunk_size: int, formula_escaped: bool = True
) -> Iterator[pd.DataFrame]:
    """Read a CSV/TSV in chunks of ``chunk_size`` rows, with the checks of :func:`read_table`.

    Qualtrics' two extra header rows are skipped. Memory stays bounded by the chunk size.
    The first chunk is read (and the header checked) when the iterator is created.
    """
    path = Path(path)
    check_readable(path)
    encoding = detect_encoding(path)
    sep = "\t" if path.suffix.lower() == ".tsv" else ","
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=sep)
        try:
            rows = [next(reader, []) for _ in range(3)]
        except csv.Error:
            raise InputFileError(
                f"'{path}': the first rows are not well-formed CSV. Fix: export the file again."
            ) from None
    if not rows[0]:
        raise InputFileError(f"'{path}' holds no data. Fix: export the survey again.")
    header = check_header([c.lstrip("\ufeff") for c in rows[0]], path)
    third = rows[2]
    # Qualtrics puts question texts and ImportId JSON in the two rows under the header.
    skip = (
        [1, 2]
        if any(third) and all(c.startswith('{"ImportId"') for c in third if c.strip())
        else []
    )

    def chunks() -> Iterator[pd.DataFrame]:
        first_row = 1
        try:
            reader = pd.read_csv(
                path, encoding=encoding, sep=sep, chunksize=chunk_size, skiprows=skip, **_READ
            )  # type: ignore[call-overload]
            for chunk in reader:
                chunk.columns = [str(c).lstrip("\ufeff") for c in chunk.columns]
                _check_shape(chunk, header, path)
                check_cells(chunk, path, first_row=first_row)
                first_row += len(chunk)
                if formula_escaped:
                    chunk = _unescape(chunk)
                    chunk.columns = [unescape_formula(c) for c in chunk.columns]
                yield chunk
        except (pd.errors.ParserError, UnicodeDecodeError, csv.Error) as exc:
            raise _parser_error(path, exc) from None

    return chunks()


def column_listing(columns: Sequence[str], question_text: dict[str, str] | None = None) -> str:
    """The column names, each with its question wording where the export has it (Qualtrics).

    Only the header is used, never a respondent's answer.

    >>> column_listing(["Q1", "id"], {"Q1": "What happened?", "id": "id"})
    "Q1 ('What happened?'), id"
    """
    question_text = question_text or {}
    parts = []
    for column in columns:
        wording = " ".join(str(question_text.get(str(column), "")).split())
        if wording and wording != str(column):
            short = wording if len(wording) <= 60 else wording[:57] + "..."
            parts.append(f"{column} ({short!r})")
        else:
            parts.append(str(column))
    return ", ".join(parts)


def survey_columns(path: str | Path, sheet: str | int = 0) -> str:
    """:func:`column_listing` of a survey export, for an error that asks for a column.

    Returns "" when the file cannot be read (the read error is reported elsewhere).
    """
    try:
        frame = read_survey(path, sheet=sheet)
    except LivedExperienceError:
        return ""
    return column_names_for_message(
        frame, column_listing(frame.columns, frame.attrs.get("question_text"))
    )


def count_responses(path: str | Path) -> int | None:
    """How many responses a survey export holds (for a progress bar's total), or None.

    CSV is counted in chunks without keeping the rows (Qualtrics' two extra header rows are
    not counted). None when the file cannot be counted cheaply (the read itself reports why).
    """
    path = Path(path)
    try:
        if path.suffix.lower() == ".xlsx":
            return len(read_survey(path))
        if path.suffix.lower() not in (".csv", ".tsv"):
            return None
        return sum(len(chunk) for chunk in iter_table_chunks(path, 50_000))
    except (OSError, ValueError, LivedExperienceError):
        return None


def read_survey(
    path: str | Path,
    id_column: str | None = None,
    text_columns: Sequence[str] = (),
    sheet: str | int = 0,
) -> pd.DataFrame:
    """Read a survey export into a DataFrame of strings, in file order.

    Parameters
    ----------
    path:
        A .csv (UTF-8, UTF-8 with BOM, UTF-16/32 with BOM, or Windows-1252), .tsv or .xlsx
        file. Qualtrics exports with question-text and ImportId rows under the header are
        recognised and those rows dropped (kept in ``frame.attrs["question_text"]``).
    id_column:
        If given, it must exist, be non-blank in every row and unique.
    text_columns:
        Columns that must exist (the free-text questions).
    sheet:
        Worksheet name or index for .xlsx.

    Returns
    -------
    pandas.DataFrame
        All columns as ``str``; ``attrs`` holds ``source``, ``encoding`` and ``format``.

    Examples
    --------
    >>> frame = read_survey("data/synthetic/staff_survey.csv", id_column="respondent_id")
    >>> frame["respondent_id"].iloc[0]
    'NSS-00001'
    """
    path = Path(path)
    frame = read_table(path, sheet=sheet)
    encoding = frame.attrs["encoding"]
    file_format = "xlsx" if encoding == "xlsx" else "csv"
    frame, labels = _drop_qualtrics_headers(frame)
    if labels:
        file_format = "qualtrics"
    if frame.empty:
        raise InputFileError(
            f"'{path}' has a header row but no responses. Fix: check the export's filters."
        )
    where = f"'{path}'"
    wanted = [*([id_column] if id_column else []), *text_columns]
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        raise MissingColumnError(
            f"{where}: column(s) {', '.join(missing)} not found. Available columns: "
            f"{column_names_for_message(frame, column_listing(frame.columns, labels))}. Fix: "
            "pass the right column name "
            "(names are case-sensitive)."
        )
    require_columns(frame, wanted, where)
    if id_column:
        check_ids(frame[id_column], id_column, path)
    frame.attrs.update(
        {"source": path.name, "encoding": encoding, "format": file_format, "question_text": labels}
    )
    return frame


def check_ids(
    ids: pd.Series,
    id_column: str,
    path: Path | str,
    seen: set[str] | None = None,
    first_row: int = 1,
) -> None:
    """Refuse blank or repeated ids, naming the data row (never the id: ids can be e-mails).

    ``seen`` carries the ids of earlier chunks of the same file (and is updated).
    """
    ids = ids.astype(str)
    blank = ids.str.strip() == ""
    if blank.any():
        row = int(blank.to_numpy().argmax()) + first_row
        raise DuplicateIdError(
            f"'{path}': id column '{id_column}' is blank on data row {row}. Fix: give every "
            "row an id, or choose another id column."
        )
    repeated = ids.duplicated()
    if seen:  # set lookups per id: isin(set) would copy the whole set on every chunk
        repeated |= np.fromiter((i in seen for i in ids), dtype=bool, count=len(ids))
    if repeated.any():
        row = int(pd.Series(repeated).to_numpy().argmax()) + first_row
        raise DuplicateIdError(
            f"'{path}': the id on data row {row} of column '{id_column}' appears more than "
            "once. Fix: choose a column that identifies each response uniquely (e.g. the "
            "response id)."
        )
    if seen is not None:
        seen.update(ids)
