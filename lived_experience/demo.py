"""The demo: the whole study pipeline on the bundled synthetic study.

:func:`demo_config` is ``examples/synthetic_study.yaml`` in code (a test keeps the two in step),
so ``lived-experience demo`` works from any folder; where the bundled data is missing it
generates the synthetic study first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lived_experience.pipeline import RunResult, StudyConfig, run_study
from lived_experience.synthetic.generate import SURVEY_TEXT_COLUMNS, write_study

QUASI_IDENTIFIERS = ("ethnicity", "staff_group", "band", "length_of_service")
#: respondents whose labels calibrate the coder (a team's hand-coded sample)
CALIBRATION_SAMPLE = 300


def demo_config(
    output_dir: str | Path,
    data_dir: str | Path = "data/synthetic",
    codebook_path: str | Path = "codebooks/wres_lived_experience.yaml",
) -> StudyConfig:
    """The bundled synthetic study as a :class:`StudyConfig` (absolute paths)."""
    data = Path(data_dir).resolve()
    return StudyConfig.model_validate(
        {
            "name": "Synthetic WRES lived-experience study",
            "description": (
                "The bundled synthetic staff survey (30 organisations, two waves), twelve "
                "interview transcripts and WRES returns. Everything here is invented; no real "
                "person appears."
            ),
            "inputs": {
                "survey": {
                    "path": data / "staff_survey.csv",
                    "id_column": "respondent_id",
                    "text_columns": list(SURVEY_TEXT_COLUMNS),
                    "quasi_identifiers": list(QUASI_IDENTIFIERS),
                    "group_column": "ethnic_group",
                },
                "transcripts": data / "transcripts",
                "wres": {
                    "returns": data / "wres" / "returns.csv",
                    "bands": data / "wres" / "bands.csv",
                    "staff_survey": data / "wres" / "staff_survey.csv",
                },
            },
            "anonymise": {"k": 11, "gold": data / "gold" / "annotations.jsonl"},
            "coding": {
                "codebook": Path(codebook_path).resolve(),
                "coder": "hybrid",
                "labels": data / "labels" / "theme_labels.csv",
                "calibration_rows": CALIBRATION_SAMPLE,
            },
            "topics": {"seed": 42, "guided": True, "k": 11},
            "quotes": {"per_code": 4, "diversity": 0.3},
            "output_dir": Path(output_dir).resolve(),
        }
    )


def run_demo(
    output_dir: str | Path,
    data_dir: str | Path = "data/synthetic",
    echo: Callable[[str], object] = print,
    codebook_path: str | Path = "codebooks/wres_lived_experience.yaml",
) -> RunResult:
    """Run the study pipeline on the bundled synthetic study (generating it if missing)."""
    data_dir = Path(data_dir)
    if not (data_dir / "staff_survey.csv").exists():
        data_dir = write_study(Path(output_dir) / "synthetic")
        echo(f"bundled data not found; generated a synthetic study in {data_dir}")
    return run_study(demo_config(output_dir, data_dir, codebook_path), echo=echo)
