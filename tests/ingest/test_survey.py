from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lived_experience.errors import DuplicateIdError, InputFileError, MissingColumnError
from lived_experience.ingest import read_survey

ROWS = [
    {"respondent_id": "007", "org_code": "SYN01", "q_experience": "Café culture, naïve “banter”"},
    {"respondent_id": "008", "org_code": "SYN02", "q_experience": "N/A"},
    {"respondent_id": "009", "org_code": "SYN02", "q_experience": ""},
]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_read_survey_decodes_what_excel_writes(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "export.csv"
    pd.DataFrame(ROWS).to_csv(path, index=False, encoding=encoding)
    frame = read_survey(path, id_column="respondent_id", text_columns=["q_experience"])
    assert frame.to_dict("records") == ROWS  # ids keep leading zeros; "N/A" is not NaN
    assert frame.attrs["encoding"] in {"utf-8-sig", "cp1252"}


def test_read_survey_reads_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    pd.DataFrame(ROWS).to_excel(path, index=False)
    frame = read_survey(path, id_column="respondent_id")
    assert frame["respondent_id"].tolist() == ["007", "008", "009"]
    assert frame["q_experience"].tolist() == [r["q_experience"] for r in ROWS]


def test_read_survey_drops_qualtrics_header_rows(synthetic_dir: Path) -> None:
    frame = read_survey(
        synthetic_dir / "pulse_survey_qualtrics.csv", id_column="ResponseId", text_columns=["Q3"]
    )
    assert frame.attrs["format"] == "qualtrics"
    assert frame["ResponseId"].str.startswith("R_").all()
    assert "ethnic minority" in frame.attrs["question_text"]["Q3"]


def test_read_survey_explains_an_html_file_posing_as_xlsx(tmp_path: Path) -> None:
    path = _write(tmp_path, "export.xlsx", b"<html><table><tr><td>secret</td></tr></table></html>")
    with pytest.raises(InputFileError, match="really an HTML page") as error:
        read_survey(path)
    assert "secret" not in str(error.value)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"   \n\n", "no data"),
        (b"respondent_id,q\n", "no responses"),
    ],
)
def test_read_survey_rejects_empty_files(tmp_path: Path, content: bytes, message: str) -> None:
    with pytest.raises(InputFileError, match=message):
        read_survey(_write(tmp_path, "export.csv", content))


def test_read_survey_names_the_line_of_undecodable_bytes(tmp_path: Path) -> None:
    path = _write(tmp_path, "export.csv", b"id,q\n1,fine\n2,bad \x81\x8d here\n")
    with pytest.raises(InputFileError, match="line 3") as error:
        read_survey(path)
    assert "bad" not in str(error.value)


def test_read_survey_missing_column_lists_the_columns_not_the_cells(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    pd.DataFrame(ROWS).to_csv(path, index=False)
    with pytest.raises(MissingColumnError, match="q_improve") as error:
        read_survey(path, text_columns=["q_improve"])
    assert "org_code" in str(error.value) and "banter" not in str(error.value)


def test_read_survey_refuses_duplicate_and_blank_ids(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    pd.DataFrame([*ROWS, ROWS[0]]).to_csv(path, index=False)
    with pytest.raises(DuplicateIdError, match="data row 4 .* appears more than once") as error:
        read_survey(path, id_column="respondent_id")
    assert "007" not in str(error.value)  # ids can be e-mail addresses: never echoed
    pd.DataFrame([{**ROWS[0], "respondent_id": " "}]).to_csv(path, index=False)
    with pytest.raises(DuplicateIdError, match="blank"):
        read_survey(path, id_column="respondent_id")


def test_read_survey_rejects_ragged_csv_without_echoing_it(tmp_path: Path) -> None:
    path = _write(tmp_path, "export.csv", b"id,q\n1,ok\n2,one,two,three private\n")
    with pytest.raises(InputFileError, match="not a well-formed CSV") as error:
        read_survey(path)
    assert "private" not in str(error.value)


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    answers=st.lists(cells, min_size=1, max_size=15),
    encoding=st.sampled_from(["utf-8", "utf-8-sig"]),
)
def test_read_survey_round_trips_any_text(
    tmp_path: Path, answers: list[str], encoding: str
) -> None:
    frame = pd.DataFrame({"id": [f"r{i:03d}" for i in range(len(answers))], "answer": answers})
    path = tmp_path / "round_trip.csv"
    frame.to_csv(path, index=False, encoding=encoding)
    back = read_survey(path, id_column="id", text_columns=["answer"])
    assert back["id"].tolist() == frame["id"].tolist()
    # CSV cannot tell "\r\n" from "\n" inside quoted cells; everything else survives.
    assert (
        back["answer"].tolist() == [a.replace("\r\n", "\n").replace("\r", "\n") for a in answers]
        or back["answer"].tolist() == answers
    )


def test_missing_column_error_lists_columns_and_question_wording_without_answers(
    tmp_path,
) -> None:  # type: ignore[no-untyped-def]
    from lived_experience.errors import MissingColumnError
    from lived_experience.ingest import read_survey
    from lived_experience.ingest.survey import survey_columns

    path = tmp_path / "qualtrics.csv"
    path.write_text(
        "ResponseId,Q1\n"
        "Response ID,What has been your experience at work?\n"
        '"{""ImportId"":""_recordId""}","{""ImportId"":""QID1_TEXT""}"\n'
        "R_1,My manager Priya Patel shouts at me\n",
        encoding="utf-8",
    )
    with pytest.raises(MissingColumnError) as error:
        read_survey(path, id_column="ResponseId", text_columns=["q1"])
    message = str(error.value)
    assert "Q1 ('What has been your experience at work?')" in message
    assert "Priya" not in message and "shouts" not in message
    assert "Q1 (" in survey_columns(path) and "Priya" not in survey_columns(path)


def test_count_responses_gives_the_progress_total(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from lived_experience.ingest import read_survey
    from lived_experience.ingest.survey import count_responses

    path = Path("data/synthetic/staff_survey.csv")
    assert count_responses(path) == len(read_survey(path))
    qualtrics = Path("data/synthetic/pulse_survey_qualtrics.csv")
    assert count_responses(qualtrics) == len(read_survey(qualtrics))
    assert count_responses(tmp_path / "missing.csv") is None


def test_xlsx_sheet_is_chosen_by_name_and_a_wrong_name_lists_the_sheets(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from lived_experience.errors import InputFileError
    from lived_experience.ingest import read_survey
    from lived_experience.ingest.survey import sheet_name
    from lived_experience.output import write_table

    path = tmp_path / "export.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"a": ["notes"]}).to_excel(writer, sheet_name="Read me", index=False)
        pd.DataFrame({"id": ["1"], "q": ["text"]}).to_excel(
            writer, sheet_name="Responses", index=False
        )
    assert read_survey(path, id_column="id", sheet="Responses")["q"].tolist() == ["text"]
    assert sheet_name(path, 1) == "Responses"
    with pytest.raises(InputFileError, match="Sheets in the workbook: Read me, Responses"):
        read_survey(path, sheet="Answers")
    out = tmp_path / "out.xlsx"
    write_table(pd.DataFrame({"id": ["1"]}), out, sheet_name="Responses")
    assert pd.ExcelFile(out).sheet_names == ["Responses"]


def test_check_ids_finds_an_id_repeated_in_a_later_chunk() -> None:
    from lived_experience.ingest.survey import check_ids

    seen: set[str] = set()
    check_ids(pd.Series(["a@x.nhs.uk", "b"]), "id", "export.csv", seen=seen, first_row=1)
    check_ids(pd.Series(["c", "d"]), "id", "export.csv", seen=seen, first_row=3)
    with pytest.raises(DuplicateIdError, match="data row 6 ") as error:
        check_ids(pd.Series(["e", "a@x.nhs.uk"]), "id", "export.csv", seen=seen, first_row=5)
    assert "a@x" not in str(error.value)
    assert seen == {"a@x.nhs.uk", "b", "c", "d"}  # the failing chunk is not added
