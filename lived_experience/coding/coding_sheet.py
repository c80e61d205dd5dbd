"""The coding sheet: an XLSX file a researcher fills in Excel, read back as training labels.

Sheet ``Coding``: one row per answer (``id``, ``text``, ``why_chosen``), one column per code
and a ``no_code`` column, each restricted to ``1`` or ``0`` by data validation, and a hidden
``check`` column (a hash of the id and text, so an edited answer is noticed). A row counts as
coded when any code column or ``no_code`` holds ``1``; rows left blank are not yet coded and
are skipped. Sheet ``Codebook``: every code's theme, label, definition, when to use and not,
and examples.

The same sheet and settings give the same bytes (fixed document dates, fixed zip entry
times), and errors name the sheet and cell, never the answer's text.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from lived_experience.codebook import Codebook
from lived_experience.errors import LabelsFileError
from lived_experience.output import atomic_path, escape_formula, unescape_formula

CODING_SHEET = "Coding"
CODEBOOK_SHEET = "Codebook"
FIXED_COLUMNS = ("id", "text", "why_chosen")
NO_CODE = "no_code"
CHECK = "check"
_YES = {"1", "1.0", "x", "yes", "y", "true"}
_NO = {"", "0", "0.0", "no", "n", "false"}
_EPOCH = _dt.datetime(2000, 1, 1)


def text_check(identifier: str, text: str) -> str:
    """A short hash of an answer's id and text, stored in the sheet's hidden column."""
    return hashlib.sha256(f"{identifier}\x1f{text}".encode()).hexdigest()[:16]


def write_coding_sheet(
    rows: pd.DataFrame, codebook: Codebook, destination: str | Path, title: str = ""
) -> None:
    """Write ``rows`` (columns ``id``, ``text``, ``why_chosen``) as a coding sheet, atomically.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> from lived_experience.codebook import load_codebook
    >>> book = load_codebook("codebooks/wres_lived_experience.yaml")
    >>> rows = pd.DataFrame({"id": ["r1"], "text": ["I was passed over."], "why_chosen": ["test"]})
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "sheet.xlsx"
    >>> write_coding_sheet(rows, book, path)
    >>> read_coding_sheet(path, book)
    {}
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = CODING_SHEET
    header = [*FIXED_COLUMNS, *codebook.code_ids, NO_CODE, CHECK]
    sheet.append(header)
    for identifier, text, why in rows[list(FIXED_COLUMNS)].astype(str).itertuples(index=False):
        sheet.append(
            [
                escape_formula(identifier),
                escape_formula(text),
                why,
                *([None] * (len(codebook.code_ids) + 1)),
                text_check(identifier, text),
            ]
        )
    last = len(rows) + 1
    first_code = len(FIXED_COLUMNS) + 1
    last_code = first_code + len(codebook.code_ids)
    validation = DataValidation(
        type="list",
        formula1='"1,0"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="1 or 0",
        error="Enter 1 if the code applies to this answer, 0 (or leave blank) if not.",
    )
    if len(rows):
        validation.add(f"{get_column_letter(first_code)}2:{get_column_letter(last_code)}{last}")
    sheet.add_data_validation(validation)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "D2"
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 80
    sheet.column_dimensions["C"].width = 24
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    check_letter = get_column_letter(len(header))
    sheet.column_dimensions[check_letter].hidden = True

    book_sheet = workbook.create_sheet(CODEBOOK_SHEET)
    book_sheet.append(
        ["code", "theme", "label", "definition", "when_to_use", "when_not_to_use", "examples"]
    )
    for theme in codebook.themes:
        for code in theme.codes:
            book_sheet.append(
                [
                    code.id,
                    theme.id,
                    code.label,
                    code.definition,
                    code.when_to_use,
                    code.when_not_to_use,
                    "\n".join(code.examples),
                ]
            )
    book_sheet.append(
        [NO_CODE, "", "No code", "None of the codes applies to this answer.", "", "", ""]
    )
    for cell in book_sheet[1]:
        cell.font = bold
    workbook.properties.creator = "lived_experience"
    workbook.properties.title = title or f"Coding sheet for {codebook.id} {codebook.version}"
    workbook.properties.created = _EPOCH
    workbook.properties.modified = _EPOCH
    buffer = io.BytesIO()
    workbook.save(buffer)
    with atomic_path(destination) as tmp:
        tmp.write_bytes(_fixed_zip(buffer.getvalue()))


def _fixed_zip(data: bytes) -> bytes:
    """Re-pack an XLSX with fixed entry times, so the same sheet gives the same bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            payload = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = _strip_dates(payload)
            target.writestr(fixed, payload)
    return out.getvalue()


def _strip_dates(core: bytes) -> bytes:
    """openpyxl stamps the save time into ``modified``; put back the fixed date."""
    import re

    return re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
        rb"\g<1>2000-01-01T00:00:00Z\g<2>",
        core,
    )


def read_coding_sheet(path: str | Path, codebook: Codebook) -> dict[str, set[str]]:
    """The coded rows of a coding sheet: ``{id: codes}`` (an empty set means "no code").

    Raises
    ------
    LabelsFileError
        For an unknown code column, a blank or repeated id, an edited answer, or a cell that
        is not 1 / 0 / blank; the message names the sheet and cell, never the text.
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    path = Path(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a damaged file
        raise LabelsFileError(
            f"'{path.name}' cannot be read as an XLSX coding sheet ({type(exc).__name__}). "
            "Fix: save it from Excel as .xlsx, or write a new one with coding-sample."
        ) from None
    if CODING_SHEET not in workbook.sheetnames:
        raise LabelsFileError(
            f"'{path.name}' has no sheet '{CODING_SHEET}'. Fix: use the sheet written by "
            "lived-experience coding-sample."
        )
    sheet = workbook[CODING_SHEET]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    if not values:
        raise LabelsFileError(f"'{path.name}' sheet '{CODING_SHEET}' is empty.")
    header = ["" if v is None else str(v).strip() for v in values[0]]
    where = f"'{path.name}' sheet {CODING_SHEET}"
    for i, name in enumerate(FIXED_COLUMNS):
        if i >= len(header) or header[i] != name:
            raise LabelsFileError(
                f"{where} cell {get_column_letter(i + 1)}1 should be the heading '{name}'. "
                "Fix: do not move or rename the first three columns."
            )
    known = set(codebook.code_ids)
    code_columns: list[tuple[int, str]] = []
    check_column = None
    for i, name in enumerate(header[len(FIXED_COLUMNS) :], start=len(FIXED_COLUMNS)):
        if name == CHECK:
            check_column = i
        elif name == NO_CODE or name in known:
            code_columns.append((i, name))
        elif name:
            raise LabelsFileError(
                f"{where} cell {get_column_letter(i + 1)}1: '{name}' is not a code of codebook "
                f"'{codebook.id}'. Codes: {', '.join(codebook.code_ids)}. Fix: rename the "
                "column to one of these or delete it."
            )
    labels: dict[str, set[str]] = {}
    for r, row in enumerate(values[1:], start=2):
        row = row + [None] * (len(header) - len(row))
        marks: set[str] = set()
        coded = False
        for i, name in code_columns:
            raw = row[i]
            cell = "" if raw is None else str(raw).strip().lower()
            if cell in _YES:
                coded = True
                if name != NO_CODE:
                    marks.add(name)
            elif cell not in _NO:
                raise LabelsFileError(
                    f"{where} cell {get_column_letter(i + 1)}{r} holds neither 1 nor 0. "
                    "Fix: enter 1 where the code applies, 0 or nothing where it does not."
                )
        raw_id = row[0]
        identifier = "" if raw_id is None else unescape_formula(str(raw_id).strip())
        if not identifier:
            if coded:
                raise LabelsFileError(
                    f"{where} cell A{r}: the id is blank. Fix: restore the row's id from the "
                    "sheet coding-sample wrote."
                )
            continue
        if check_column is not None and row[check_column] is not None:
            text = "" if row[1] is None else unescape_formula(str(row[1]))
            if text_check(identifier, text) != str(row[check_column]):
                raise LabelsFileError(
                    f"{where} cell B{r}: the answer's text (or its id in A{r}) was edited after "
                    "the sheet was written, so its codes may not fit the answer being trained "
                    "on. Fix: restore the original text, or code the answer in a new sheet."
                )
        if not coded:
            continue
        if identifier in labels:
            raise LabelsFileError(
                f"{where} cell A{r}: this id appears on an earlier row too. Fix: keep one row "
                "per answer."
            )
        if (
            NO_CODE in {n for i, n in code_columns if str(row[i] or "").strip().lower() in _YES}
            and marks
        ):
            raise LabelsFileError(
                f"{where} row {r}: '{NO_CODE}' is 1 and so is a code. Fix: choose one."
            )
        labels[identifier] = marks
    return labels


def sheet_rows(
    frame: pd.DataFrame, text_columns: Sequence[str], id_column: str, chosen: Sequence[int]
) -> pd.DataFrame:
    """``id`` and ``text`` (the answer's text columns, one paragraph each) for chosen rows."""
    picked = frame.iloc[list(chosen)]
    texts = [
        "\n\n".join(str(v) for v in values if str(v).strip())
        for values in picked[list(text_columns)].fillna("").to_numpy()
    ]
    return pd.DataFrame({"id": picked[id_column].astype(str).tolist(), "text": texts})
