"""coding-sample -> fill the sheet -> code --train SHEET: the researcher's round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from lived_experience.cli import app

runner = CliRunner()
COLUMNS = ["q_experience", "q_improve"]


@pytest.fixture()
def study(synthetic_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    monkeypatch.setenv("LIVED_EXPERIENCE_CACHE", str(tmp_path / "cache.sqlite"))
    survey = pd.read_csv(synthetic_dir / "staff_survey.csv", dtype=str, keep_default_na=False)
    source = tmp_path / "survey.csv"
    survey.iloc[:150].to_csv(source, index=False)
    return {
        "source": source,
        "codebook": synthetic_dir.parents[1] / "codebooks" / "wres_lived_experience.yaml",
        "labels": synthetic_dir / "labels" / "theme_labels.csv",
    }


def _args(study: dict[str, Path]) -> list[str]:
    return [
        str(study["source"]),
        "--text-column",
        "q_experience",
        "--text-column",
        "q_improve",
        "--id-column",
        "respondent_id",
        "--codebook",
        str(study["codebook"]),
    ]


def test_sample_sheet_trains_the_default_coder(study: dict[str, Path], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from lived_experience.synthetic.labels import respondent_codes

    sheet = tmp_path / "sheet.xlsx"
    result = runner.invoke(
        app, ["coding-sample", *_args(study), "--n", "40", "--output", str(sheet)]
    )
    assert result.exit_code == 0, result.output
    assert "too few codes" in result.output  # round one: nothing coded yet
    truth = respondent_codes(study["labels"].parents[1]).set_index("id")["codes"]
    workbook = load_workbook(sheet)
    coding = workbook["Coding"]
    header = [c.value for c in coding[1]]
    for row in coding.iter_rows(min_row=2):
        codes = {c for c in str(truth.get(row[0].value, "")).split(";") if c}
        for code in codes:
            row[header.index(code)].value = 1
        if not codes:
            row[header.index("no_code")].value = 1
    workbook.save(sheet)

    coded = tmp_path / "coded.csv"
    result = runner.invoke(
        app, ["code", *_args(study), "--output", str(coded), "--train", str(sheet)]
    )
    assert result.exit_code == 0, result.output
    assert "mean kappa" in result.output and "95% interval" in result.output
    settings = json.loads((tmp_path / "coded.csv.settings.json").read_text())
    assert settings["coder"] == "fewshot_coder.v6" and settings["calibrated"] is True
    # the sentence model was fine-tuned on the 40 answers; agreement estimated on answers
    # that neither the fine-tuning nor the fitting saw
    assert settings["fine_tuned"]["weights"].startswith("all-MiniLM-L6-v2+tuned-")
    assert settings["expected_kappa_from"].startswith("nested")
    assert "nested 5-fold" in " ".join(result.output.split())
    assert settings["level"] == "both"
    assert set(settings["level_expected_kappa"]) == {"answer", "sentence", "both"}
    assert settings["trained_on"] == 40 and "cross-validation" in settings["thresholds_fitted_by"]
    # codes the 40 answers could not teach keep the classifier's boundary and are named
    unfitted = settings["codes_without_fitted_threshold"]
    assert set(unfitted) <= set(settings["thresholds"])
    assert all(settings["thresholds"][code] == 0.5 for code in unfitted)
    if unfitted:
        assert "kept the classifier's own boundary" in " ".join(result.output.split())
    assert len(pd.read_csv(coded, dtype=str)) == 150

    again = tmp_path / "sheet2.xlsx"
    result = runner.invoke(
        app,
        [
            "coding-sample",
            *_args(study),
            "--n",
            "10",
            "--labelled",
            str(sheet),
            "--output",
            str(again),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "mean kappa" in result.output
    second = pd.read_excel(again, sheet_name="Coding", dtype=str)
    first = pd.read_excel(sheet, sheet_name="Coding", dtype=str)
    assert not set(second["id"]) & set(first["id"])


def test_uncalibrated_run_says_so(study: dict[str, Path], tmp_path: Path) -> None:
    coded = tmp_path / "coded.csv"
    result = runner.invoke(app, ["code", *_args(study), "--output", str(coded)])
    assert result.exit_code == 0, result.output
    assert "not calibrated" in result.output
    settings = json.loads((tmp_path / "coded.csv.settings.json").read_text())
    assert settings["calibrated"] is False and settings["coder"] == "hybrid_coder.v3"


def test_labels_csv_with_unknown_code_is_a_clean_error(
    study: dict[str, Path], tmp_path: Path
) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text("id,codes\nR00001,made_up\n", encoding="utf-8")
    result = runner.invoke(
        app, ["code", *_args(study), "--output", str(tmp_path / "c.csv"), "--train", str(labels)]
    )
    assert result.exit_code == 2
    assert "LE010" in result.output and "made_up" in result.output
