"""Decoding text files the way Excel and Windows tools write them."""

from __future__ import annotations

from pathlib import Path

from lived_experience.errors import InputFileError

#: Encodings tried in order. ``utf-8-sig`` also reads plain UTF-8 and strips a BOM.
ENCODINGS = ("utf-8-sig", "cp1252")


def check_readable(path: Path) -> None:
    """Raise a clear error if ``path`` is missing, a folder, or empty."""
    if not path.exists():
        raise InputFileError(f"'{path}' does not exist. Fix: check the path and file name.")
    if path.is_dir():
        raise InputFileError(
            f"'{path}' is a folder; a file was expected here. Fix: name the file inside it."
        )
    if path.stat().st_size == 0:
        raise InputFileError(
            f"'{path}' is empty (0 bytes). Fix: export the data again; the export may have "
            "failed or still be downloading."
        )


def decode_bytes(data: bytes, path: Path) -> tuple[str, str]:
    """Decode ``data`` as UTF-8 (with or without BOM), else Windows-1252.

    Returns the text and the encoding used. Raises :class:`InputFileError` naming the line of
    the first undecodable byte (never its content) when neither works.
    """
    first_error: UnicodeDecodeError | None = None
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
    assert first_error is not None
    line = data[: first_error.start].count(b"\n") + 1
    raise InputFileError(
        f"'{path}': bytes on line {line} are neither UTF-8 nor Windows-1252 text. Fix: open "
        "the file in Excel or a text editor and save it as 'CSV UTF-8'."
    )


def read_text_file(path: Path) -> tuple[str, str]:
    """Read and decode a text file; see :func:`decode_bytes`."""
    check_readable(path)
    return decode_bytes(path.read_bytes(), path)
