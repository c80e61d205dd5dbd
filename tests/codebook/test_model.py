from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lived_experience.codebook import load_codebook
from lived_experience.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]
WRES = REPO / "codebooks" / "wres_lived_experience.yaml"
REQUIRED_CODES = {
    "representation_seniority": [1, 9],
    "recruitment_shortlisting": [2],
    "disciplinary_process": [3],
    "training_development": [4],
    "abuse_from_public": [5],
    "bullying_from_staff": [6],
    "career_progression": [7],
    "discrimination_from_staff": [8],
    "microaggressions": [],
    "staff_networks": [],
    "speaking_up": [],
    "leadership_allyship": [],
    "tokenism": [],
    "resistance_backlash": [],
    "belonging_inclusion": [],
    "wellbeing_impact": [],
    "international_staff": [],
}


def test_the_wres_codebook_has_exactly_the_agreed_codes_and_links() -> None:
    book = load_codebook(WRES)
    assert sorted(book.code_ids) == sorted(REQUIRED_CODES)
    for code_id, indicators in REQUIRED_CODES.items():
        assert book.code(code_id).wres_indicators == indicators
        assert len(book.code(code_id).examples) >= 3


def _broken(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    raw = yaml.safe_load(WRES.read_text(encoding="utf-8"))
    edit(raw)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "edit, message",
    [
        (
            lambda raw: raw["themes"][0]["codes"][1].update(examples=["one", "two"]),
            r"code 'recruitment_shortlisting', field 'examples'",
        ),
        (
            lambda raw: raw["themes"][1]["codes"][0].update(wres_indicators=[10]),
            r"code 'abuse_from_public', field 'wres_indicators'.*1-9",
        ),
        (
            lambda raw: raw["themes"][2]["codes"][0].update(defintion="typo"),
            r"code 'speaking_up', field 'defintion'.*Extra inputs",
        ),
        (
            lambda raw: raw["themes"][3]["codes"].append(raw["themes"][3]["codes"][0]),
            r"'belonging_inclusion' is used twice",
        ),
    ],
)
def test_invalid_codebooks_name_the_code_and_field(tmp_path: Path, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError, match=message):
        load_codebook(_broken(tmp_path, edit))


def test_yaml_errors_give_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\nthemes: [\n  - : :\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_codebook(path)
