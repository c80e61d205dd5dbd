"""A study with ``coder: learned`` and a training-labels file runs end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import yaml

from tests.conftest import REPO, SYNTHETIC


def test_study_with_the_learned_coder_trains_codes_and_measures_agreement(
    tmp_path: Path, embedder, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from lived_experience.pipeline import run_study

    monkeypatch.setenv("LIVED_EXPERIENCE_CACHE", str(embedder.cache_path))
    survey = pd.read_csv(SYNTHETIC / "staff_survey.csv", dtype=str, keep_default_na=False)
    survey.head(160).to_csv(tmp_path / "staff_survey.csv", index=False)
    (tmp_path / "secret.key").write_text("ab" * 32 + "\n", encoding="ascii")
    labels = pd.read_csv(SYNTHETIC / "labels" / "theme_labels.csv", dtype=str)
    first_100 = set(survey["respondent_id"].head(100))
    labels[labels["record_id"].isin(first_100)].to_csv(tmp_path / "training.csv", index=False)
    study = {
        "name": "Learned coder study",
        "inputs": {
            "survey": {
                "path": "staff_survey.csv",
                "id_column": "respondent_id",
                "text_columns": ["q_experience", "q_improve"],
            }
        },
        "anonymise": {"secret_file": "secret.key", "use_ner": False},
        "coding": {
            "codebook": str(REPO / "codebooks" / "wres_lived_experience.yaml"),
            "coder": "learned",
            "training_labels": "training.csv",
            "labels": str(SYNTHETIC / "labels" / "theme_labels.csv"),
            "calibration_rows": 100,
        },
        "topics": {"enabled": False},
        "quotes": {"per_code": 1},
        "output_dir": "out",
    }
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(study), encoding="utf-8")
    result = run_study(path, echo=lambda message: None)
    assert "code" in result.ran and result.report.exists()
    manifest = json.loads((tmp_path / "out" / "run_manifest.json").read_text(encoding="utf-8"))
    code = manifest["stages"]["code"]["summary"]
    assert code["coder"] == "learned_coder.v1" and code["trained"] is True
    # trained on the first 100 rows; agreement measured on the 60 labelled rows after them
    assert code["agreement"]["units"] == 60
    queue = pd.read_csv(tmp_path / "out" / "shareable" / "coding_review_queue.csv", dtype=str)
    assert len(queue) == 20 and not set(queue["id"]) & first_100  # answers not trained on
    coded = pd.read_csv(tmp_path / "out" / "shareable" / "coded_survey.csv", dtype=str)
    assert len(coded) == 160 and coded["codes"].notna().any()
