from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from lived_experience.anonymise.recognisers.nhs_number import nhs_check_digit
from lived_experience.synthetic.generate import generate_study, write_study


def test_generate_regenerates_the_committed_files_byte_for_byte(
    tmp_path: Path, synthetic_dir: Path
) -> None:
    write_study(tmp_path)
    committed = sorted(
        p.relative_to(synthetic_dir) for p in synthetic_dir.rglob("*") if p.is_file()
    )
    regenerated = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert committed == regenerated
    for relative in committed:
        assert (tmp_path / relative).read_bytes() == (synthetic_dir / relative).read_bytes(), (
            relative
        )


def test_generate_survey_has_the_shape_of_a_real_export(synthetic_dir: Path) -> None:
    survey = pd.read_csv(synthetic_dir / "staff_survey.csv", dtype=str, keep_default_na=False)
    assert len(survey) >= 2000
    assert survey["respondent_id"].is_unique
    assert survey["org_code"].nunique() >= 5
    assert set(survey["ethnic_group"]) == {"White", "Ethnic minority", "Not stated"}
    answers = survey["q_experience"]
    assert (answers == "").sum() > 0 and answers.isin(["N/A", "n/a", "NA"]).sum() > 0
    lengths = answers.str.split().str.len()
    assert lengths.max() >= 60 and (lengths.between(1, 3)).sum() > 0


def test_generate_gold_spans_point_at_planted_values(synthetic_dir: Path) -> None:
    lines = (synthetic_dir / "gold" / "annotations.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    origins = set()
    types = set()
    for record in records:
        for entity in record["entities"]:
            value = record["text"][entity["start"] : entity["end"]]
            assert value and value == value.strip()
            types.add(entity["entity_type"])
            if entity["entity_type"] == "PERSON":
                origins.add(entity["origin"])
            if entity["entity_type"] == "NHS_NUMBER":
                digits = "".join(c for c in value if c.isdigit())
                assert nhs_check_digit(digits[:9]) == int(digits[9])
    assert {
        "south_asian",
        "black_african",
        "black_caribbean",
        "east_asian",
        "eastern_european",
        "arab",
        "irish",
        "white_british",
        "filipino",
    } <= origins
    assert {
        "NHS_NUMBER",
        "EMAIL_ADDRESS",
        "PHONE_NUMBER",
        "UK_POSTCODE",
        "UK_NINO",
        "GMC_NUMBER",
        "NMC_PIN",
        "STAFF_ID",
        "DATE",
        "NHS_SITE",
        "NHS_ORGANISATION",
        "PERSON",
    } <= types


def test_generate_transcripts_come_in_three_formats(synthetic_dir: Path) -> None:
    suffixes = sorted(p.suffix for p in (synthetic_dir / "transcripts").iterdir())
    assert len(suffixes) >= 12
    assert {".txt", ".docx", ".vtt"} <= set(suffixes)


def test_generate_labels_cover_every_literature_theme() -> None:
    study = generate_study(n_respondents=400, n_pulse=10, n_transcripts=2)
    codes = {c for value in study.labels["codes"] for c in value.split(";") if c}
    assert {
        "career_progression",
        "bullying_from_staff",
        "abuse_from_public",
        "disciplinary_process",
        "training_development",
        "staff_networks",
        "speaking_up",
        "leadership_allyship",
        "microaggressions",
        "tokenism",
        "belonging_inclusion",
    } <= codes
