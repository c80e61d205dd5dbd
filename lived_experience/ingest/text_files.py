"""Decoding text files the way Excel and Windows tools write them, without guessing wrong.

The rules (:func:`detect_encoding`):

* a byte-order mark decides: UTF-8, UTF-16 (LE/BE) or UTF-32 (LE/BE) are read losslessly;
* no BOM but NUL bytes: UTF-16/32 without a BOM, which cannot be told apart reliably, is
  refused with the fix (save as "CSV UTF-8");
* valid UTF-8 is UTF-8;
* otherwise Windows-1252 *only if nothing in the file is UTF-8*: a mostly UTF-8 file with a
  stray Windows-1252 byte is refused, naming the line, instead of being decoded wholesale as
  Windows-1252 (which would turn every "é" into "Ã©").

The same rules apply to every text input: survey CSVs, transcripts, study YAML and codebooks.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from lived_experience.errors import InputFileError

#: Encodings tried in order when there is no BOM (kept for callers that list them).
ENCODINGS = ("utf-8-sig", "cp1252")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: A well-formed UTF-8 multi-byte sequence (RFC 3629).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_BLOCK = 1 << 20


def check_readable(path: Path) -> None:
    """Raise a clear error if ``path`` is missing, a folder, unreadable or empty."""
    if not path.exists():
        raise InputFileError(f"'{path}' does not exist. Fix: check the path and file name.")
    if path.is_dir():
        raise InputFileError(
            f"'{path}' is a folder; a file was expected here. Fix: name the file inside it."
        )
    from lived_experience.ingest.limits import check_file_size

    try:
        size = path.stat().st_size
        with path.open("rb"):
            pass
    except PermissionError:
        from lived_experience.errors import EnvironmentFaultError

        raise EnvironmentFaultError(
            f"cannot read '{path}': permission denied. Fix: check the file's permissions."
        ) from None
    if size == 0:
        raise InputFileError(
            f"'{path}' is empty (0 bytes). Fix: export the data again; the export may have "
            "failed or still be downloading."
        )
    check_file_size(path, size)


def _refuse(path: Path, line: int, why: str) -> InputFileError:
    return InputFileError(
        f"'{path}': {why} (first at line {line}). Fix: open the file in Excel or a text editor "
        "and save it as 'CSV UTF-8' (or 'UTF-8' text)."
    )


def _bom_encoding(head: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def detect_encoding(path: Path) -> str:
    """The encoding to read ``path`` with, streamed (see the module rules).

    Raises
    ------
    InputFileError
        For UTF-16/32 without a BOM, mixed UTF-8 and Windows-1252, or bytes that are
        neither; naming the line, never the bytes.
    """
    with path.open("rb") as handle:
        head = handle.read(4)
    bom = _bom_encoding(head)
    if bom is not None:
        _check_decodes(path, bom)
        return bom
    utf8 = codecs.getincrementaldecoder("utf-8")()
    bad_line: int | None = None
    has_multibyte = False
    lines = 1
    carry = b""
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            if b"\x00" in block:
                line = lines + block[: block.index(b"\x00")].count(b"\n")
                raise _refuse(
                    path,
                    line,
                    "NUL bytes: this looks like UTF-16 or UTF-32 text "
                    "without a byte-order mark, which cannot be read reliably",
                )
            if bad_line is None:
                try:
                    utf8.decode(block)
                except UnicodeDecodeError as exc:
                    bad_line = lines + block[: exc.start].count(b"\n")
            window = carry + block
            if not has_multibyte and _UTF8_MULTIBYTE.search(window):
                has_multibyte = True
            carry = block[-3:]
            lines += block.count(b"\n")
    if bad_line is None:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            bad_line = lines
    if bad_line is None:
        return "utf-8-sig"
    if has_multibyte:
        raise _refuse(
            path,
            bad_line,
            "the file is mostly UTF-8 but holds bytes that are not (a mix of encodings, "
            "usually from pasting text copied from another program)",
        )
    _check_decodes(path, "cp1252")
    return "cp1252"


def _check_decodes(path: Path, encoding: str) -> None:
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 1
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                raise _refuse(
                    path,
                    lines + block[: exc.start].count(b"\n"),
                    f"bytes that are not valid {encoding.upper().replace('-SIG', '')}",
                ) from None
            lines += block.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise _refuse(path, lines, f"the file ends inside a {encoding} character") from None


def decode_bytes(data: bytes, path: Path) -> tuple[str, str]:
    """Decode ``data`` by the module's rules; return the text and the encoding used."""
    bom = _bom_encoding(data[:4])
    if bom is not None:
        try:
            return data.decode(bom), bom
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise _refuse(path, line, f"bytes that are not valid {bom}") from None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise _refuse(
            path,
            line,
            "NUL bytes: this looks like UTF-16 or UTF-32 text without a byte-order mark",
        )
    try:
        return data.decode("utf-8"), "utf-8-sig"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if _UTF8_MULTIBYTE.search(data):
            raise _refuse(
                path,
                line,
                "the file is mostly UTF-8 but holds bytes that are not (a mix of encodings)",
            ) from None
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _refuse(path, line, "bytes that are neither UTF-8 nor Windows-1252") from None


def read_text_file(path: Path) -> tuple[str, str]:
    """Read and decode a text file (size-checked); see :func:`decode_bytes`."""
    check_readable(path)
    return decode_bytes(path.read_bytes(), path)
