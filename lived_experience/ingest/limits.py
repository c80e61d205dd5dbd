"""Size limits on inputs, checked before any work, so nothing reaches a library that fails
half-way (spaCy refuses texts over ``nlp.max_length`` with error E088) or eats the memory.

Each limit has an environment variable to raise it for a machine that can take more.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lived_experience.errors import InputLimitError


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        from lived_experience.errors import ConfigError

        raise ConfigError(f"${name} must be a whole number; it is not.") from None
    return value


@dataclass(frozen=True)
class InputLimits:
    """The limits in force (environment variables in brackets).

    ``max_cell_chars``: longest text in one cell or transcript turn
    (``LIVED_EXPERIENCE_MAX_CELL_CHARS``, default 200,000 characters, about 35,000 words);
    ``max_file_bytes``: largest input file (``LIVED_EXPERIENCE_MAX_FILE_BYTES``, 2 GiB);
    ``max_unzipped_bytes``: largest total size an XLSX or DOCX may expand to
    (``LIVED_EXPERIENCE_MAX_UNZIPPED_BYTES``, 512 MiB);
    ``max_zip_ratio``: largest expansion ratio of one archive member over 1 MiB (200).
    """

    max_cell_chars: int = 200_000
    max_file_bytes: int = 2 * 1024**3
    max_unzipped_bytes: int = 512 * 1024**2
    max_zip_ratio: int = 200

    @classmethod
    def current(cls) -> InputLimits:
        return cls(
            max_cell_chars=_env_int("LIVED_EXPERIENCE_MAX_CELL_CHARS", cls.max_cell_chars),
            max_file_bytes=_env_int("LIVED_EXPERIENCE_MAX_FILE_BYTES", cls.max_file_bytes),
            max_unzipped_bytes=_env_int(
                "LIVED_EXPERIENCE_MAX_UNZIPPED_BYTES", cls.max_unzipped_bytes
            ),
        )


def check_file_size(path: Path, size: int | None = None) -> None:
    limits = InputLimits.current()
    size = path.stat().st_size if size is None else size
    if size > limits.max_file_bytes:
        raise InputLimitError(
            f"'{path}' is {size / 1024**2:.0f} MiB, over the {limits.max_file_bytes / 1024**2:.0f}"
            " MiB limit. Fix: split it, or raise LIVED_EXPERIENCE_MAX_FILE_BYTES."
        )


def check_archive(path: Path) -> None:
    """Refuse a zip (XLSX, DOCX) that would expand past the limits, from its directory alone.

    Nothing is decompressed: the sizes come from the zip's central directory, and Python's
    zip reader stops at the declared size, so a member cannot expand past what is checked.
    """
    limits = InputLimits.current()
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        from lived_experience.errors import InputFileError

        raise InputFileError(
            f"'{path}' is not a readable zip container ({type(exc).__name__}). Fix: open it "
            "in the program that made it and save it again."
        ) from None
    total = sum(m.file_size for m in members)
    if total > limits.max_unzipped_bytes:
        raise InputLimitError(
            f"'{path}' would expand to {total / 1024**2:.0f} MiB, over the "
            f"{limits.max_unzipped_bytes / 1024**2:.0f} MiB limit (a 'zip bomb', or a very "
            "large workbook). Fix: export it as CSV, or raise LIVED_EXPERIENCE_MAX_UNZIPPED_BYTES."
        )
    for member in members:
        if member.file_size > 1024**2 and member.file_size > limits.max_zip_ratio * max(
            member.compress_size, 1
        ):
            raise InputLimitError(
                f"'{path}': a part of it expands {member.file_size // max(member.compress_size, 1)}"
                f" times, over the limit of {limits.max_zip_ratio} (a 'zip bomb'). Fix: export "
                "the data as CSV."
            )


def check_cells(
    frame: pd.DataFrame, path: Path | str, first_row: int = 1, columns: Iterable[str] | None = None
) -> None:
    """Refuse a cell longer than the limit, naming its data row and column (never its text)."""
    limit = InputLimits.current().max_cell_chars
    chosen = list(frame.columns) if columns is None else list(columns)
    for position, column in enumerate(frame.columns):
        if column not in chosen:
            continue
        lengths = frame.iloc[:, position].map(lambda v: len(v) if isinstance(v, str) else 0)
        if len(lengths) and int(lengths.max()) > limit:
            row = int(lengths.to_numpy().argmax()) + first_row
            raise InputLimitError(
                f"'{path}' data row {row}, column '{column}': {int(lengths.max()):,} characters, "
                f"over the {limit:,} limit for one cell. Fix: split the text, or raise "
                "LIVED_EXPERIENCE_MAX_CELL_CHARS."
            )
