"""Read survey exports: CSV in the encodings Excel writes, XLSX, and Qualtrics CSV.

Every cell is read as a string exactly as it is in the file (no numbers, dates or "NA"
guessed), so ids with leading zeros and answers like "N/A" come back unchanged, and writing
the frame back out changes only what a later stage changes.
"""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from lived_experience.errors import (
    DuplicateIdError,
    InputFileError,
    LivedExperienceError,
    MissingColumnError,
)
from lived_experience.ingest.text_files import check_readable, decode_bytes
from lived_experience.schemas import require_columns

SURVEY_SUFFIXES = (".csv", ".xlsx", ".tsv")


def _read_csv_text(text: str, path: Path, sep: str = ",") -> pd.DataFrame:
    if not text.strip():
        raise InputFileError(
            f"'{path}' holds no data (only blank space). Fix: export the survey again."
        )
    try:
        return pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, sep=sep
        )
    except pd.errors.ParserError as exc:
        # pandas' message cites line numbers and field counts, never cell contents.
        detail = str(exc).strip().splitlines()[-1]
        raise InputFileError(
            f"'{path}' is not a well-formed CSV ({detail}). Fix: check that text with commas "
            "or line breaks is quoted; re-exporting from the survey tool usually does this."
        ) from None


def _read_xlsx(path: Path, sheet: str | int) -> pd.DataFrame:
    head = path.read_bytes()[:512]
    if not head.startswith(b"PK\x03\x04"):
        stripped = head.lstrip().lower()
        if stripped.startswith((b"<", b"\xef\xbb\xbf<")):
            raise InputFileError(
                f"'{path}' ends in .xlsx but is really an HTML page (some survey tools export "
                "'Excel' files this way). Fix: open it in Excel and 'Save As' Excel Workbook "
                "(.xlsx), or export the survey as CSV."
            )
        raise InputFileError(
            f"'{path}' ends in .xlsx but is not an Excel workbook. Fix: export the survey "
            "again as .xlsx or CSV."
        )
    try:
        frame = pd.read_excel(
            path,
            sheet_name=sheet,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            engine="openpyxl",
        )
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
    except zipfile.BadZipFile as exc:
        raise InputFileError(
            f"'{path}' could not be read as an Excel workbook ({type(exc).__name__}). Fix: "
            "open it in Excel and save it again, or export CSV."
        ) from None
    return frame


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
    return column_listing(frame.columns, frame.attrs.get("question_text"))


def count_responses(path: str | Path) -> int | None:
    """How many responses a survey export holds (for a progress bar's total), or None.

    CSV is counted in chunks without keeping the rows; Qualtrics' two extra header rows are
    not counted. None when the file cannot be counted cheaply (the read itself reports why).
    """
    path = Path(path)
    try:
        if path.suffix.lower() == ".xlsx":
            return len(read_survey(path))
        if path.suffix.lower() not in (".csv", ".tsv"):
            return None
        total, qualtrics = 0, False
        for n, chunk in enumerate(
            pd.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                sep="\t" if path.suffix.lower() == ".tsv" else ",",
                chunksize=50_000,
                encoding_errors="replace",
            )
        ):
            if n == 0 and len(chunk) >= 2:
                qualtrics = str(chunk.iloc[1, 0]).startswith('{"ImportId"')
            total += len(chunk)
        return total - 2 * qualtrics
    except (OSError, ValueError, pd.errors.ParserError, LivedExperienceError):
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
        A .csv (UTF-8, UTF-8 with BOM, or Windows-1252), .tsv or .xlsx file. Qualtrics
        exports with question-text and ImportId rows under the header are recognised and
        those rows dropped (kept in ``frame.attrs["question_text"]``).
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
    check_readable(path)
    suffix = path.suffix.lower()
    if suffix not in SURVEY_SUFFIXES:
        raise InputFileError(
            f"'{path}' has extension '{suffix}'; survey exports must be "
            f"{', '.join(SURVEY_SUFFIXES)}. Fix: export the survey as CSV or XLSX."
        )
    if suffix == ".xlsx":
        frame = _read_xlsx(path, sheet)
        encoding, file_format = "xlsx", "xlsx"
    else:
        text, encoding = decode_bytes(path.read_bytes(), path)
        frame = _read_csv_text(text, path, sep="\t" if suffix == ".tsv" else ",")
        file_format = "csv"
    frame.columns = [str(c) for c in frame.columns]
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
            f"{column_listing(frame.columns, labels)}. Fix: pass the right column name "
            "(names are case-sensitive)."
        )
    require_columns(frame, wanted, where)
    if id_column:
        _check_ids(frame, id_column, path)
    frame.attrs.update(
        {"source": path.name, "encoding": encoding, "format": file_format, "question_text": labels}
    )
    return frame


def _check_ids(frame: pd.DataFrame, id_column: str, path: Path) -> None:
    ids = frame[id_column]
    blank = ids.str.strip() == ""
    if blank.any():
        row = int(blank.to_numpy().argmax()) + 2  # +1 for the header, +1 for 1-based rows
        raise DuplicateIdError(
            f"'{path}': id column '{id_column}' is blank on data row {row - 1} (file line "
            f"{row}). Fix: give every row an id, or choose another id column."
        )
    duplicated = ids.duplicated()
    if duplicated.any():
        first = ids[duplicated].iloc[0]
        raise DuplicateIdError(
            f"'{path}': id '{first}' appears more than once in column '{id_column}'. Fix: "
            "choose a column that identifies each response uniquely (e.g. the response id)."
        )
