from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lived_experience.demo import demo_config
from lived_experience.errors import ConfigError
from lived_experience.pipeline import load_study
from tests.conftest import REPO


def test_example_study_is_valid_and_matches_the_demo() -> None:
    example = load_study(REPO / "examples" / "synthetic_study.yaml")
    demo = demo_config(
        REPO / "out" / "demo",
        REPO / "data" / "synthetic",
        REPO / "codebooks" / "wres_lived_experience.yaml",
    )
    assert example == demo


def test_paths_are_relative_to_the_study_file(tmp_path: Path) -> None:
    path = tmp_path / "study.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "name": "s",
                "inputs": {"transcripts": "interviews"},
                "coding": {"codebook": "book.yaml"},
            }
        ),
        encoding="utf-8",
    )
    study = load_study(path)
    assert study.inputs.transcripts == tmp_path / "interviews"
    assert study.output_dir == (tmp_path / "out" / "study")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"codding": {}}, "codding"),
        ({"inputs": {}}, "inputs.survey, inputs.transcripts or both"),
        ({"anonymise": {"k": 1}}, "anonymise.k"),
        ({"topics": {"seed": "x"}}, "topics.seed"),
    ],
)
def test_bad_study_files_name_the_field(tmp_path: Path, change: dict, message: str) -> None:  # type: ignore[type-arg]
    study = {"name": "s", "inputs": {"transcripts": "t"}, "coding": {"codebook": "b.yaml"}}
    study.update(change)
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(study), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_study(path)


def test_missing_and_broken_study_files_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_study(tmp_path / "nope.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_study(broken)
