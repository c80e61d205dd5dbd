"""Input validation before any work: headers, encodings, sizes, archives, YAML."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from lived_experience.errors import ConfigError, InputFileError, InputLimitError
from lived_experience.ingest import iter_table_chunks, read_survey, read_table, read_transcripts

ROWS = "id,q,band\n1,Café au lait,5\n2,naïve,6\n"


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("header", "match"),
    [("id,q,q", "columns 2 and 3 are both called 'q'"), ("id,,q", "column 2 of the header")],
)
def test_repeated_or_blank_column_names_are_refused_by_every_reader(
    tmp_path: Path, header: str, match: str
) -> None:
    csv_path = _write(tmp_path / "s.csv", f"{header}\n1,a,b\n".encode())
    with pytest.raises(InputFileError, match=match):
        read_survey(csv_path)
    with pytest.raises(InputFileError, match=match):
        next(iter_table_chunks(csv_path, 10))
    names = header.split(",")
    xlsx = tmp_path / "s.xlsx"
    from openpyxl import Workbook

    book = Workbook()
    book.active.append([n or None for n in names])
    book.active.append(["1", "a", "b"])
    book.save(xlsx)
    with pytest.raises(InputFileError, match=match):
        read_survey(xlsx)


def test_rows_longer_than_the_header_are_refused_not_shifted(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.csv", b"id,q\n1,a,extra\n2,b,extra\n")
    with pytest.raises(InputFileError, match="more fields than the header"):
        read_table(path)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_unicode_with_a_byte_order_mark_is_read_losslessly(tmp_path: Path, encoding: str) -> None:
    data = ROWS.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path = _write(tmp_path / "s.csv", data)
    assert read_table(path)["q"].tolist() == ["Café au lait", "naïve"]
    chunks = list(iter_table_chunks(path, 1))
    assert [c["q"].iloc[0] for c in chunks] == ["Café au lait", "naïve"]


def test_utf16_without_a_bom_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.csv", ROWS.encode("utf-16-le"))
    with pytest.raises(InputFileError, match="UTF-16"):
        read_table(path)
    with pytest.raises(InputFileError, match="UTF-16"):
        iter_table_chunks(path, 10)


def test_a_stray_windows_1252_byte_in_utf8_is_refused_naming_the_line(tmp_path: Path) -> None:
    data = ROWS.encode("utf-8") + "3,costs £5,7\n".encode("cp1252")
    path = _write(tmp_path / "s.csv", data)
    for read in (read_table, lambda p: iter_table_chunks(p, 10)):
        with pytest.raises(InputFileError, match="mostly UTF-8.*line 4") as error:
            read(path)
        assert "£" not in str(error.value)


def test_pure_windows_1252_is_still_read(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.csv", ROWS.encode("cp1252"))
    frame = read_table(path)
    assert frame["q"].tolist() == ["Café au lait", "naïve"]
    assert frame.attrs["encoding"] == "cp1252"


def test_a_utf16_transcript_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "T1.txt").write_bytes(
        "Interviewer: How is it?\nRespondent: Ngozi helped.\n".encode("utf-16")
    )
    turns = read_transcripts(folder)
    assert turns["text"].tolist() == ["How is it?", "Ngozi helped."]


def test_a_cell_over_the_limit_is_refused_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIVED_EXPERIENCE_MAX_CELL_CHARS", "50")
    path = _write(tmp_path / "s.csv", ("id,q\n1,short\n2," + "secret " * 20 + "\n").encode())
    with pytest.raises(InputLimitError, match="data row 2, column 'q'") as error:
        read_table(path)
    assert "secret" not in str(error.value)
    with pytest.raises(InputLimitError):
        list(iter_table_chunks(path, 1))


def test_a_zip_bomb_is_refused_from_the_directory_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (8 * 1024**2))
    with pytest.raises(InputLimitError, match="zip bomb"):
        read_table(path)  # the ratio alone (about 1000x) gives it away
    monkeypatch.setenv("LIVED_EXPERIENCE_MAX_UNZIPPED_BYTES", str(1024**2))
    with pytest.raises(InputLimitError, match="would expand to 8 MiB"):
        read_table(path)


def test_yaml_files_are_decoded_by_the_same_rules(tmp_path: Path) -> None:
    from lived_experience.codebook import load_codebook
    from lived_experience.pipeline import load_study

    for loader in (load_codebook, load_study):
        path = _write(tmp_path / "x.yaml", "name: Café\nnote: £5\n".encode() + b"bad: \x92\n")
        with pytest.raises((InputFileError, ConfigError), match="line 3"):
            loader(path)


def test_excel_writes_read_back_through_pandas_unchanged(tmp_path: Path) -> None:
    frame = pd.DataFrame({"id": ["007", "008"], "q": ["N/A", ""]})
    frame.to_excel(tmp_path / "s.xlsx", index=False)
    assert read_table(tmp_path / "s.xlsx").to_dict("list") == frame.to_dict("list")
