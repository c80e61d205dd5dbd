"""Writing outputs safely: one CSV writer, atomic files, spreadsheet formulas escaped.

Every table the toolkit writes goes through :func:`write_table` (or :class:`CsvAppender`
for outputs streamed chunk by chunk), so every CSV obeys the same rules:

* every field holding a comma, a double quote, a line feed **or a lone carriage return** is
  quoted (Python's ``csv`` module with ``lineterminator="\\n"`` leaves a bare CR unquoted,
  and every reader then splits the row there);
* every text cell that a spreadsheet would run as a formula (first character ``= + - @``,
  tab or CR) gets a leading apostrophe, in every column: ids, attributes and labels as well
  as free text. Plain numbers such as ``-3.5`` are left alone. The escape is reversible:
  :func:`lived_experience.ingest.read_table` removes it again, so a table read back is the
  table written. Machine consumers that never open files in a spreadsheet can turn the
  escape off with ``formula_escape=False`` or ``LIVED_EXPERIENCE_FORMULA_ESCAPE=0``;
* UTF-8 without a BOM, ``\\n`` between rows, no index: the same frame gives the same bytes.

Every output file is first written to a temporary file in the same folder and renamed over
the destination, so a crash leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

import pandas as pd

from lived_experience.errors import InputFileError, OutputError

#: Leading characters that make Excel, LibreOffice and Google Sheets treat a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Set to ``0`` to write cells exactly as they are (for programs, never for spreadsheets).
FORMULA_ESCAPE_ENV = "LIVED_EXPERIENCE_FORMULA_ESCAPE"
#: The fixed timestamp written into every zip container (DOCX, XLSX, QDPX): 1980-01-01, the
#: earliest a zip can hold, so the same content always gives the same bytes.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_CORE_MODIFIED = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def formula_escape_default() -> bool:
    """Whether outputs are formula-escaped: yes, unless ``LIVED_EXPERIENCE_FORMULA_ESCAPE=0``."""
    return os.environ.get(FORMULA_ESCAPE_ENV, "1").strip().lower() not in {"0", "false", "no"}


@contextlib.contextmanager
def atomic_path(destination: str | os.PathLike[str], mode: int | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``destination``; rename it over ``destination`` on success.

    The temporary file is created with mode 0600 (so a sensitive file is never readable by
    others, even while it is being written); on success it gets ``mode`` (default: the
    usual mode under the umask). On any exception it is removed and ``destination`` is left
    as it was.
    """
    from lived_experience.output_safety import environment_errors

    destination = Path(destination)
    with environment_errors(destination):
        if destination.is_dir():
            raise OutputError(
                f"'{destination}' is a folder; a file was expected here. Fix: give a file "
                "name inside it."
            )
        destination.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{destination.name}.", suffix=".partial", dir=destination.parent
        )
        os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, destination)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def write_text_atomic(
    destination: str | os.PathLike[str], text: str, mode: int | None = None
) -> None:
    """Write ``text`` (UTF-8) to ``destination`` atomically."""
    with atomic_path(destination, mode=mode) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes_atomic(
    destination: str | os.PathLike[str], data: bytes, mode: int | None = None
) -> None:
    """Write ``data`` to ``destination`` atomically."""
    with atomic_path(destination, mode=mode) as tmp:
        tmp.write_bytes(data)


# -- formula escaping --------------------------------------------------------------------
def _escaped_form(value: str) -> bool:
    """True if ``value`` is apostrophes followed by a formula character."""
    return value.lstrip("'").startswith(FORMULA_PREFIXES)


def escape_formula(value: object) -> object:
    r"""Prefix a text cell a spreadsheet would run as a formula with an apostrophe.

    Plain numbers (``-3.5``) are left alone. A value that already looks escaped (``'=x``)
    gets one more apostrophe, so :func:`unescape_formula` always gives the original back.

    >>> escape_formula('=HYPERLINK("x")')
    '\'=HYPERLINK("x")'
    >>> escape_formula("-2.5"), escape_formula("band 5")
    ('-2.5', 'band 5')
    >>> unescape_formula(escape_formula("'=1"))
    "'=1"
    """
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(FORMULA_PREFIXES):
        return value if _NUMBER.fullmatch(value) else "'" + value
    if value.startswith("'") and _escaped_form(value):
        return "'" + value
    return value


def unescape_formula(value: str) -> str:
    """Undo :func:`escape_formula` when reading back a file this toolkit wrote.

    >>> unescape_formula(escape_formula("=1+1"))
    '=1+1'
    """
    if value.startswith("'") and _escaped_form(value):
        return value[1:]
    return value


def escape_formulas(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Return a copy of ``frame`` with formula-like text cells escaped (all columns by default)."""
    out = frame.copy()
    for position, column in enumerate(out.columns):
        if columns is not None and column not in columns:
            continue
        out.isetitem(position, out.iloc[:, position].map(escape_formula))
    return out


# -- the CSV writer ----------------------------------------------------------------------
def cell_text(value: object) -> str:
    """The text of one cell as the CSV holds it: missing values empty, floats in short form.

    >>> cell_text(None), cell_text(float("nan")), cell_text(0.1), cell_text(True), cell_text(3)
    ('', '', '0.1', 'True', '3')
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(float(value))
    if isinstance(value, bool):
        return "True" if value else "False"
    try:
        if pd.isna(value):  # type: ignore[call-overload]
            return ""
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):  # numpy scalars
        return cell_text(value.item())
    return str(value)


def quote_field(text: str, delimiter: str = ",") -> str:
    r"""Quote ``text`` if it holds the delimiter, a double quote, LF or CR (a lone CR too).

    >>> print(quote_field("a\rb") == '"a\rb"', quote_field("a,b"), quote_field("plain"))
    True "a,b" plain
    """
    if delimiter in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def format_csv_row(
    values: Sequence[object], formula_escape: bool | None = None, delimiter: str = ","
) -> str:
    r"""One ``\n``-terminated CSV line, by the same rules as :func:`format_csv` (for files
    rewritten a row at a time).

    >>> format_csv_row(["=1", "line\rbreak", 3])
    '\'=1,"line\rbreak",3\n'
    """
    escape = formula_escape_default() if formula_escape is None else formula_escape
    texts = [cell_text(v) for v in values]
    if escape:
        texts = [str(escape_formula(t)) for t in texts]
    return delimiter.join(quote_field(t, delimiter) for t in texts) + "\n"


def _column_texts(series: pd.Series, escape: bool, delimiter: str) -> list[str]:
    values = [cell_text(v) for v in series.tolist()]
    if escape:
        values = [escape_formula(v) for v in values]  # type: ignore[misc]
    return [quote_field(v, delimiter) for v in values]


def format_csv(
    frame: pd.DataFrame,
    header: bool = True,
    formula_escape: bool | None = None,
    delimiter: str = ",",
) -> str:
    r"""The CSV text of ``frame``: one ``\n``-terminated line per row, header first.

    >>> format_csv(pd.DataFrame({"id": ["=1"], "text": ["line\rbreak"]}))
    'id,text\n\'=1,"line\rbreak"\n'
    """
    escape = formula_escape_default() if formula_escape is None else formula_escape
    columns = [
        _column_texts(frame.iloc[:, position], escape, delimiter)
        for position in range(frame.shape[1])
    ]
    lines: list[str] = []
    if header:
        names = [cell_text(c) for c in frame.columns]
        if escape:
            names = [str(escape_formula(n)) for n in names]
        lines.append(delimiter.join(quote_field(n, delimiter) for n in names))
    if frame.shape[1] == 1:  # an empty line would be skipped by readers: quote it
        columns[0] = [v if v else '""' for v in columns[0]]
    lines.extend(delimiter.join(row) for row in zip(*columns, strict=True))
    if frame.shape[1] == 0:
        lines.extend("" for _ in range(len(frame)))
    return "".join(line + "\n" for line in lines)


def write_csv_to(
    frame: pd.DataFrame,
    handle: IO[str],
    header: bool = True,
    formula_escape: bool | None = None,
) -> None:
    """Write ``frame`` to an open text handle with the toolkit's CSV rules."""
    handle.write(format_csv(frame, header=header, formula_escape=formula_escape))


class CsvAppender:
    r"""Append frames to one CSV (header written once), for outputs streamed in chunks.

    >>> buffer = io.StringIO()
    >>> appender = CsvAppender(buffer)
    >>> appender.append(pd.DataFrame({"a": ["1"]})); appender.append(pd.DataFrame({"a": ["2"]}))
    >>> buffer.getvalue()
    'a\n1\n2\n'
    """

    def __init__(
        self, handle: IO[str], header: bool = True, formula_escape: bool | None = None
    ) -> None:
        self.handle = handle
        self.header = header
        self.formula_escape = formula_escape

    def append(self, frame: pd.DataFrame) -> None:
        write_csv_to(frame, self.handle, header=self.header, formula_escape=self.formula_escape)
        self.header = False


# -- zip containers (XLSX, DOCX, QDPX) ---------------------------------------------------
def fixed_zip_bytes(data: bytes) -> bytes:
    """Rewrite a zip so every member carries :data:`ZIP_TIMESTAMP` (same content, same bytes).

    Members keep their order, names and compression.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, ZIP_TIMESTAMP)
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                content = _CORE_MODIFIED.sub(
                    rb"<dcterms:modified\1>2000-01-01T00:00:00Z</dcterms:modified>", content
                )
            target.writestr(fixed, content)
    return buffer.getvalue()


def fix_docx_properties(document: object) -> None:
    """Give a python-docx document fixed created/modified dates (for reproducible bytes)."""
    import datetime

    fixed = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    props = document.core_properties  # type: ignore[attr-defined]
    props.created = props.modified = props.last_printed = fixed
    props.revision = 1
    props.author = props.last_modified_by = "lived_experience"


def _xlsx_bytes(frame: pd.DataFrame, escape: bool, sheet_name: str = "Sheet1") -> bytes:
    import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name[:31]  # Excel's limit
    names: list[object] = [cell_text(c) for c in frame.columns]
    rows: list[list[object]] = [names]
    rows += [list(row) for row in frame.itertuples(index=False, name=None)]
    for position, row in enumerate(rows):
        cells: list[object] = []
        for value in row:
            if isinstance(value, float) and math.isnan(value):
                value = None
            if isinstance(value, str):
                if _XLSX_ILLEGAL.search(value):
                    raise OutputError(
                        f"row {position} holds a control character that Excel files cannot "
                        "store. Fix: write the output as .csv instead of .xlsx."
                    )
                value = escape_formula(value) if escape else value
            cells.append(value)
        sheet.append(cells)
    fixed = datetime.datetime(2000, 1, 1)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.creator = "lived_experience"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return fixed_zip_bytes(buffer.getvalue())


def write_table(
    frame: pd.DataFrame,
    destination: str | os.PathLike[str],
    escape_columns: Sequence[str] | None = None,
    mode: int | None = None,
    formula_escape: bool | None = None,
    sheet_name: str = "Sheet1",
) -> None:
    """Write ``frame`` to CSV or XLSX (chosen by extension) atomically.

    Parameters
    ----------
    escape_columns:
        Accepted for compatibility and ignored: every text cell in every column is escaped.
    mode:
        File mode, e.g. ``0o600`` for sensitive files.
    formula_escape:
        ``False`` writes cells exactly as they are (for machine consumers); default: on
        unless ``LIVED_EXPERIENCE_FORMULA_ESCAPE=0``.
    sheet_name:
        The XLSX worksheet's name (keep the input's, so users find their sheet).
    """
    del escape_columns
    destination = Path(destination)
    suffix = destination.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise InputFileError(
            f"cannot write '{destination.name}': the output must end in .csv or .xlsx"
        )
    escape = formula_escape_default() if formula_escape is None else formula_escape
    data = (
        format_csv(frame, formula_escape=escape).encode("utf-8")
        if suffix == ".csv"
        else _xlsx_bytes(frame, escape, sheet_name)
    )
    write_bytes_atomic(destination, data, mode=mode)
