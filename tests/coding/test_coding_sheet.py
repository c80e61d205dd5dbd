"""The coding sheet: written deterministically, read back, bad edits named by cell."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lived_experience.coding.coding_sheet import read_coding_sheet, write_coding_sheet
from lived_experience.coding.labels import read_label_sets
from lived_experience.errors import LabelsFileError

SECRET_TEXT = "I was told my accent was unprofessional."


def _rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["r1", "r2", "r3", "=r4"],
            "text": [SECRET_TEXT, "I am a band 5 nurse.", "Not coded yet.", "=1+1"],
            "why_chosen": ["a", "b", "c", "d"],
        }
    )


def _fill(path: Path, cells: dict[str, object]) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    for ref, value in cells.items():
        workbook["Coding"][ref] = value
    workbook.save(path)


def _column(codebook, code: str) -> str:  # type: ignore[no-untyped-def]
    from openpyxl.utils import get_column_letter

    return get_column_letter(4 + codebook.code_ids.index(code))


def test_sheet_bytes_are_deterministic(codebook, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_coding_sheet(_rows(), codebook, tmp_path / "a.xlsx")
    write_coding_sheet(_rows(), codebook, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_sheet_has_validation_and_codebook(codebook, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    write_coding_sheet(_rows(), codebook, tmp_path / "s.xlsx")
    workbook = load_workbook(tmp_path / "s.xlsx")
    sheet = workbook["Coding"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["id", "text", "why_chosen"]
    assert header[3 : 3 + len(codebook.code_ids)] == codebook.code_ids
    assert sheet.data_validations.dataValidation[0].formula1 == '"1,0"'
    assert sheet["A5"].value == "'=r4"  # formula escaped
    definitions = workbook["Codebook"]
    assert [c.value for c in definitions["A"]][1 : 1 + len(codebook.code_ids)] == codebook.code_ids


def test_filled_sheet_reads_back_with_no_code_and_skips_blank_rows(
    codebook, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "s.xlsx"
    write_coding_sheet(_rows(), codebook, path)
    no_code = f"{_column(codebook, codebook.code_ids[-1])}"
    from openpyxl.utils import column_index_from_string, get_column_letter

    no_code = get_column_letter(column_index_from_string(no_code) + 1)
    _fill(
        path,
        {
            f"{_column(codebook, 'microaggressions')}2": 1,
            f"{_column(codebook, 'tokenism')}2": "1",
            f"{_column(codebook, 'bullying_from_staff')}2": 0,
            f"{no_code}3": 1,
            f"{_column(codebook, 'tokenism')}5": 1,
        },
    )
    labels = read_label_sets(path, codebook)
    assert labels == {"r1": {"microaggressions", "tokenism"}, "r2": set(), "=r4": {"tokenism"}}


@pytest.mark.parametrize(
    ("cells", "where"),
    [
        ({"D1": "made_up_code"}, "cell D1"),
        ({"A2": None, "E2": 1}, "cell A2"),
        ({"B2": "I was told something else.", "E2": 1}, "cell B2"),
        ({"E3": "maybe"}, "cell E3"),
    ],
)
def test_bad_sheets_name_the_cell_never_the_text(
    codebook,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    cells: dict[str, object],
    where: str,
) -> None:
    path = tmp_path / "s.xlsx"
    write_coding_sheet(_rows(), codebook, path)
    _fill(path, cells)
    with pytest.raises(LabelsFileError, match=where) as caught:
        read_coding_sheet(path, codebook)
    assert "LE010" in str(caught.value)
    assert SECRET_TEXT not in str(caught.value) and "something else" not in str(caught.value)


def test_labels_csv_reader(codebook, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "labels.csv"
    path.write_text("id,codes\nr1,tokenism;microaggressions\nr2,\n", encoding="utf-8")
    assert read_label_sets(path, codebook) == {"r1": {"tokenism", "microaggressions"}, "r2": set()}
    path.write_text("id,codes\nr1,tokenism;nonsense\n", encoding="utf-8")
    with pytest.raises(LabelsFileError, match="row 2, column 'codes': nonsense"):
        read_label_sets(path, codebook)
    other = tmp_path / "labels.json"
    other.write_text("{}", encoding="utf-8")
    with pytest.raises(LabelsFileError, match=r"\.csv, \.xlsx, \.qdpx"):
        read_label_sets(other, codebook)
