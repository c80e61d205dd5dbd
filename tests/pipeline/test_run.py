from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from lived_experience.pipeline import STAGES, load_study, run_study
from tests.conftest import SYNTHETIC
from tests.pipeline.conftest import write_small_study

pytestmark = pytest.mark.slow
SHAREABLE_TABLES = (
    "shareable/survey_anonymised.csv",
    "shareable/coded_survey.csv",
    "shareable/coded_segments.csv",
    "shareable/theme_prevalence_by_group.csv",
    "shareable/topics/topics.csv",
    "shareable/topics/assignments.csv",
    "shareable/wres/themes_wres_correlations.csv",
    "shareable/quotes/quote_bank.csv",
)


def test_first_run_runs_every_stage_and_writes_the_outputs(small_study) -> None:  # type: ignore[no-untyped-def]
    path, result, messages = small_study
    assert result.ran == [stage.name for stage in STAGES]
    folder = result.folder
    for name in (*SHAREABLE_TABLES, "report.html", "run_manifest.json"):
        assert (folder / name).exists(), name
    assert (folder / "review_pack" / "survey_entities.csv").exists()
    survey = pd.read_csv(folder / SHAREABLE_TABLES[0], dtype=str, keep_default_na=False)
    original = pd.read_csv(SYNTHETIC / "staff_survey.csv", dtype=str, keep_default_na=False)
    assert survey["respondent_id"].tolist() == original["respondent_id"].head(400).tolist()
    # sensitive values never sit beside the shareable outputs
    assert not list((folder / "shareable").rglob("*entities*"))


def test_study_writes_a_paste_ready_quote_bank_and_a_qdpx_with_cases(small_study) -> None:  # type: ignore[no-untyped-def]
    import xml.etree.ElementTree as ET
    import zipfile

    import docx

    from lived_experience.coding.refi_qda import PROJECT_NS, read_qdpx_codings
    from lived_experience.quotes.placeholders import RAW_TAG

    _, result, _ = small_study
    folder = result.folder / "shareable"
    word = folder / "quotes" / "quote_bank.docx"
    section = docx.Document(str(word)).sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    with zipfile.ZipFile(word) as archive:
        footer = "".join(archive.read(n).decode() for n in archive.namelist() if "footer" in n)
        body = archive.read("word/document.xml").decode()
    assert "PAGE" in footer and "OFFICIAL-SENSITIVE" in footer
    assert not RAW_TAG.search(body)
    quotes = pd.read_csv(folder / "quotes" / "quote_bank.csv", dtype=str, keep_default_na=False)
    assert not quotes["quote"].str.contains(RAW_TAG).any()
    shown = quotes[quotes["flags"] == ""]["quote_id"]  # flagged quotes stay out of Word
    assert len(shown) and all(f"[{i}]" in body for i in shown)
    project = folder / "coded_survey.qdpx"
    with zipfile.ZipFile(project) as archive:
        root = ET.fromstring(archive.read("project.qde"))
    cases = root.findall(f".//{{{PROJECT_NS}}}Case")
    assert len(cases) > 100
    assert all(case.find(f"{{{PROJECT_NS}}}VariableValue") is not None for case in cases)
    coded = pd.read_csv(folder / "coded_survey.csv", dtype=str, keep_default_na=False)
    back = read_qdpx_codings(project)
    expected = {
        i: set(c.split(";"))
        for i, c in zip(coded["respondent_id"], coded["codes"], strict=True)
        if c
    }
    assert {
        i: set(c.split(";")) for i, c in zip(back["id"], back["codes"], strict=True)
    } == expected


def test_manifest_records_versions_settings_and_hashes(small_study) -> None:  # type: ignore[no-untyped-def]
    _, result, _ = small_study
    manifest = json.loads((result.folder / "run_manifest.json").read_text(encoding="utf-8"))
    environment = manifest["environment"]
    assert environment["codebook"]["id"] == "wres_lived_experience"
    assert environment["embedding_model"] and environment["spacy_model"]
    assert environment["packages"]["bertopic"] == "0.17.4"
    code = manifest["stages"]["code"]
    assert code["settings"]["coding"]["coder"] == "hybrid"
    assert all(len(digest) == 64 for digest in code["outputs"].values())
    assert manifest["stages"]["anonymise"]["summary"]["identifiers"] > 50


def test_progress_output_never_carries_respondent_text(small_study) -> None:  # type: ignore[no-untyped-def]
    _, _, messages = small_study
    survey = pd.read_csv(SYNTHETIC / "staff_survey.csv", dtype=str, keep_default_na=False)
    sentences = {
        s.strip() for t in survey["q_experience"].head(400) for s in t.split(".") if len(s) > 25
    }
    text = "\n".join(messages)
    assert not [s for s in sentences if s in text]


def test_second_run_skips_everything_and_codebook_change_reruns_coding_onwards(small_study) -> None:  # type: ignore[no-untyped-def]
    path, first, _ = small_study
    before = {name: (first.folder / name).read_bytes() for name in SHAREABLE_TABLES}
    again = run_study(path, echo=lambda _: None)
    assert again.ran == [] and len(again.skipped) == len(STAGES)
    assert {name: (first.folder / name).read_bytes() for name in SHAREABLE_TABLES} == before

    book = load_study(path).coding.codebook
    data = yaml.safe_load(book.read_text(encoding="utf-8"))
    data["version"] = data["version"] + "-edited"
    data["themes"][0]["codes"][0]["examples"].append("Nobody who looks like me sits on the board.")
    book.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    edited = run_study(path, echo=lambda _: None)
    assert edited.skipped == ["ingest", "anonymise"]
    assert edited.ran == ["code", "topics", "wres", "quotes", "report"]


def test_same_study_in_a_new_folder_gives_byte_identical_outputs(
    small_study, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path, first, _ = small_study
    study = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("data", "secret.key", "codebook.yaml"):
        source = path.parent / key
        if source.is_dir():
            shutil.copytree(source, tmp_path / key)
        else:
            shutil.copy(source, tmp_path / key)
    study["coding"]["codebook"] = str(tmp_path / "codebook.yaml")
    (tmp_path / "study.yaml").write_text(yaml.safe_dump(study), encoding="utf-8")
    second = run_study(tmp_path / "study.yaml", echo=lambda _: None)
    for name in SHAREABLE_TABLES:
        assert (second.folder / name).read_bytes() == (first.folder / name).read_bytes(), name


def test_missing_input_fails_before_any_output(tmp_path: Path) -> None:
    path = write_small_study(tmp_path)
    (tmp_path / "data" / "staff_survey.csv").unlink()
    from lived_experience.errors import LivedExperienceError

    with pytest.raises(LivedExperienceError, match="staff_survey.csv"):
        run_study(path, echo=lambda _: None)
    assert not (tmp_path / "out" / "shareable" / "survey_anonymised.csv").exists()
