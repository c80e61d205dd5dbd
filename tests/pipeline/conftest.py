"""A small study (400 respondents, 3 transcripts, WRES) run once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from tests.conftest import REPO, SYNTHETIC


def write_small_study(folder: Path, codebook: Path | None = None) -> Path:
    """Inputs and a study YAML in ``folder``; returns the YAML's path."""
    data = folder / "data"
    (data / "transcripts").mkdir(parents=True, exist_ok=True)
    survey = pd.read_csv(SYNTHETIC / "staff_survey.csv", dtype=str, keep_default_na=False)
    survey.head(400).to_csv(data / "staff_survey.csv", index=False)
    for name in ("T01.txt", "T03.docx", "T04.vtt"):
        shutil.copy(SYNTHETIC / "transcripts" / name, data / "transcripts" / name)
    shutil.copytree(SYNTHETIC / "wres", data / "wres", dirs_exist_ok=True)
    shutil.copy(SYNTHETIC / "labels" / "theme_labels.csv", data / "labels.csv")
    book = codebook or folder / "codebook.yaml"
    if codebook is None:
        shutil.copy(REPO / "codebooks" / "wres_lived_experience.yaml", book)
    (folder / "secret.key").write_text("ab" * 32 + "\n", encoding="ascii")
    study = {
        "name": "Small synthetic study",
        "inputs": {
            "survey": {
                "path": "data/staff_survey.csv",
                "id_column": "respondent_id",
                "text_columns": ["q_experience", "q_improve"],
                "quasi_identifiers": ["ethnicity", "staff_group", "band"],
            },
            "transcripts": "data/transcripts",
            "wres": {
                "returns": "data/wres/returns.csv",
                "bands": "data/wres/bands.csv",
                "staff_survey": "data/wres/staff_survey.csv",
            },
        },
        "anonymise": {"secret_file": "secret.key", "k": 11},
        "coding": {"codebook": str(book), "labels": "data/labels.csv", "calibration_rows": 150},
        "topics": {"seed": 42},
        "quotes": {"per_code": 2},
        "output_dir": "out",
    }
    path = folder / "study.yaml"
    path.write_text(yaml.safe_dump(study, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def small_study(tmp_path_factory: pytest.TempPathFactory, embedder):  # type: ignore[no-untyped-def]
    """(study YAML path, result of the first run, progress messages)."""
    import os

    from lived_experience.pipeline import run_study

    os.environ["LIVED_EXPERIENCE_CACHE"] = str(embedder.cache_path)
    path = write_small_study(tmp_path_factory.mktemp("study"))
    messages: list[str] = []
    result = run_study(path, echo=messages.append)
    return path, result, messages
