from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lived_experience.anonymise import Anonymiser
from lived_experience.anonymise.files import anonymise_file
from lived_experience.anonymise.review import Decisions
from lived_experience.errors import (
    DuplicateIdError,
    MissingColumnError,
    OutputError,
)


def _survey(tmp_path: Path) -> Path:
    path = tmp_path / "export.csv"
    pd.DataFrame(
        {
            "respondent_id": [f"R{i:03d}" for i in range(7)],
            "band": ["Band 5", "-3", "Band 6", "Band 7", "Band 2", "Band 5", "Band 8a"],
            "comment": [
                "My manager Kwame Mensah bullies me.",
                '=HYPERLINK("x")',
                "",
                "Call 07700 900123",
                "N/A",
                "Black nurses are held back.",
                "I am the only Black consultant in cardiology.",
            ],
        }
    ).to_csv(path, index=False)
    return path


def test_anonymise_file_keeps_every_row_in_order_and_escapes_formulas(
    anonymiser: Anonymiser, tmp_path: Path
) -> None:
    out = tmp_path / "shared" / "anon.csv"
    summary = anonymise_file(
        _survey(tmp_path),
        out,
        ["comment"],
        "respondent_id",
        anonymiser,
        entities_path=tmp_path / "review" / "entities.csv",
        review_path=tmp_path / "review" / "review.html",
        chunk_size=3,
    )
    result = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert result["respondent_id"].tolist() == [f"R{i:03d}" for i in range(7)]
    assert result["band"].tolist()[1] == "-3"  # non-text columns untouched
    assert result["comment"][1].startswith("'=")
    assert "Kwame" not in result["comment"][0] and "900123" not in result["comment"][3]
    assert result["comment"][5] == "Black nurses are held back."
    assert summary.rows == 7 and summary.flagged_indirect == 1
    assert summary.generalised_indirect == 1
    assert result["comment"][6] == "I am [a senior role]."  # generalised, not left as written
    assert (tmp_path / "review" / "entities.csv").stat().st_mode & 0o777 == 0o600
    html = (tmp_path / "review" / "review.html").read_text(encoding="utf-8")
    assert "SENSITIVE" in html and "INDIRECT_IDENTIFIER" in html


def test_anonymise_file_leaves_no_output_on_error(anonymiser: Anonymiser, tmp_path: Path) -> None:
    path = _survey(tmp_path)
    frame = pd.read_csv(path, dtype=str)
    pd.concat([frame, frame.iloc[[0]]]).to_csv(path, index=False)
    out = tmp_path / "anon.csv"
    with pytest.raises(DuplicateIdError):
        anonymise_file(path, out, ["comment"], "respondent_id", anonymiser, chunk_size=3)
    assert not out.exists() and not list(tmp_path.glob(".*"))
    with pytest.raises(MissingColumnError):
        anonymise_file(path, out, ["nope"], "respondent_id", anonymiser)
    assert not out.exists()


def test_anonymise_file_reads_a_transcript_folder(
    anonymiser: Anonymiser, synthetic_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "transcripts.csv"
    summary = anonymise_file(synthetic_dir / "transcripts", out, [], None, anonymiser)
    result = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert summary.rows == len(result) >= 12 * 10
    vtt = result[result["source"].str.endswith(".vtt")]
    assert vtt["speaker"].str.contains(r"\[PERSON_").all()
    assert vtt["speaker"].str.contains("(Researcher)", regex=False).any()


def test_decisions_reject_and_add(anonymiser: Anonymiser, tmp_path: Path) -> None:
    path = _survey(tmp_path)
    entities = tmp_path / "review" / "entities.csv"
    anonymise_file(
        path,
        tmp_path / "first.csv",
        ["comment"],
        "respondent_id",
        anonymiser,
        entities_path=entities,
    )
    decisions = pd.read_csv(entities, dtype=str, keep_default_na=False)
    phone = decisions["entity_type"] == "PHONE_NUMBER"
    decisions.loc[phone, "decision"] = "reject"
    extra = {
        "record_id": "R005",
        "field": "comment",
        "start": "13",
        "end": "16",
        "entity_type": "MANUAL",
        "decision": "add",
    }
    decisions = pd.concat([decisions, pd.DataFrame([extra])], ignore_index=True)
    decisions.to_csv(entities, index=False)
    anonymise_file(
        path,
        tmp_path / "second.csv",
        ["comment"],
        "respondent_id",
        anonymiser,
        decisions=Decisions.read(entities),
    )
    second = pd.read_csv(tmp_path / "second.csv", dtype=str, keep_default_na=False)
    assert "07700 900123" in second["comment"][3]
    assert second["comment"][5].startswith("Black nurses [MANUAL_")


def test_anonymise_file_refuses_to_overwrite_its_input(
    anonymiser: Anonymiser, tmp_path: Path
) -> None:
    path = _survey(tmp_path)
    with pytest.raises(OutputError, match="is the input file"):
        anonymise_file(path, path, ["comment"], "respondent_id", anonymiser)


def test_an_interrupted_run_resumes_without_losing_or_duplicating_rows(
    anonymiser: Anonymiser, synthetic_dir: Path, tmp_path: Path
) -> None:
    source = tmp_path / "survey.csv"
    pd.read_csv(synthetic_dir / "staff_survey.csv", dtype=str, keep_default_na=False).iloc[
        :120
    ].to_csv(source, index=False)
    reference = tmp_path / "reference.csv"
    anonymise_file(source, reference, ["q_experience"], "respondent_id", anonymiser, chunk_size=40)

    class Interrupted(Exception):
        pass

    calls = []

    def stop_after_two_chunks(rows: int) -> None:
        calls.append(rows)
        if len(calls) == 2:
            raise Interrupted

    out = tmp_path / "out.csv"
    with pytest.raises(Interrupted):
        anonymise_file(
            source,
            out,
            ["q_experience"],
            "respondent_id",
            anonymiser,
            chunk_size=40,
            entities_path=tmp_path / "review" / "e.csv",
            progress=stop_after_two_chunks,
        )
    assert not out.exists()
    summary = anonymise_file(
        source,
        out,
        ["q_experience"],
        "respondent_id",
        anonymiser,
        chunk_size=40,
        entities_path=tmp_path / "review" / "e.csv",
    )
    assert summary.resumed_rows == 80 and summary.rows == 120
    assert out.read_bytes() == reference.read_bytes()
    entities = pd.read_csv(tmp_path / "review" / "e.csv", dtype=str)
    assert not entities.duplicated(["record_id", "field", "start"]).any()
    assert not list(tmp_path.rglob(".*.work")) and not list(tmp_path.rglob(".*checkpoint*"))
