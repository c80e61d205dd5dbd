"""Writing outputs safely: atomically, and with spreadsheet formula injection escaped.

Every output file is first written to a temporary file in the same folder and then renamed
over the destination, so a crash leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

from lived_experience.errors import InputFileError

#: Leading characters that make Excel, LibreOffice and Google Sheets treat a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@contextlib.contextmanager
def atomic_path(destination: str | os.PathLike[str], mode: int | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``destination``; rename it over ``destination`` on success.

    On any exception the temporary file is removed and ``destination`` is left as it was.

    Parameters
    ----------
    destination:
        The final path.
    mode:
        Optional file mode (e.g. ``0o600`` for sensitive files), applied before the rename.
    """
    destination = Path(destination)
    if not destination.parent.exists():
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


def escape_formula(value: object) -> object:
    """Prefix a string that a spreadsheet would run as a formula with an apostrophe.

    Idempotent: an escaped value starts with ``'`` and is left alone.

    >>> escape_formula("=HYPERLINK(\\"x\\")")
    '\\'=HYPERLINK("x")'
    >>> escape_formula("band 5")
    'band 5'
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unescape_formula(value: str) -> str:
    """Undo :func:`escape_formula` when reading back a file this toolkit wrote.

    >>> unescape_formula(escape_formula("=1+1"))
    '=1+1'
    """
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def escape_formulas(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Return a copy of ``frame`` with formula-like cells escaped in ``columns``."""
    out = frame.copy()
    for column in columns:
        out[column] = out[column].map(escape_formula)
    return out


def write_table(
    frame: pd.DataFrame,
    destination: str | os.PathLike[str],
    escape_columns: Sequence[str] = (),
    mode: int | None = None,
    sheet_name: str = "Sheet1",
) -> None:
    """Write ``frame`` to CSV or XLSX (chosen by extension) atomically.

    ``sheet_name`` names the XLSX worksheet (keep the input's, so users find their sheet).

    Cells in ``escape_columns`` that start with ``= + - @`` are escaped against formula
    injection. CSV is written as UTF-8 without index, with ``\\n`` line endings, so the same
    frame always gives the same bytes.
    """
    destination = Path(destination)
    suffix = destination.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise InputFileError(
            f"cannot write '{destination.name}': the output must end in .csv or .xlsx"
        )
    safe = escape_formulas(frame, escape_columns) if escape_columns else frame
    with atomic_path(destination, mode=mode) as tmp:
        if suffix == ".csv":
            safe.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
        else:
            safe.to_excel(tmp, index=False, engine="openpyxl", sheet_name=sheet_name[:31])
