"""The study config: one validated YAML file describing a whole study run.

Paths are relative to the YAML file's folder. A typo in a field name fails loudly, naming the
field; see ``examples/synthetic_study.yaml`` for an annotated example.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lived_experience.errors import ConfigError
from lived_experience.topics.settings import TopicSettings


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SurveyInput(_Strict):
    """A survey export (CSV or XLSX): its id column, free-text columns and attributes."""

    path: Path
    id_column: str
    text_columns: list[str] = Field(min_length=1)
    quasi_identifiers: list[str] = Field(
        default_factory=list,
        description="attribute columns generalised until every combination has k respondents",
    )
    group_column: str = Field(
        "ethnic_group", description="column with 'Ethnic minority' / 'White' for comparisons"
    )


class WresInput(_Strict):
    """WRES data: the returns (required), band counts and staff-survey results (optional)."""

    returns: Path
    bands: Path | None = None
    staff_survey: Path | None = None


class Inputs(_Strict):
    survey: SurveyInput | None = None
    transcripts: Path | None = Field(None, description="folder of .txt/.docx/.vtt/.srt files")
    wres: WresInput | None = None

    @model_validator(mode="after")
    def _something(self) -> Inputs:
        if self.survey is None and self.transcripts is None:
            raise ValueError("give inputs.survey, inputs.transcripts or both")
        return self


class AnonymiseConfig(_Strict):
    secret_file: Path | None = Field(
        None, description="project secret for pseudonyms (default: the user's config folder)"
    )
    allow_list: list[str] = Field(default_factory=list)
    deny_list: list[str] = Field(default_factory=list)
    k: int = Field(11, ge=2, description="smallest group size in shared outputs")
    spacy_model: str | None = None
    gold: Path | None = Field(
        None, description="gold annotations (JSONL) to measure recall and precision on"
    )


class CodingConfig(_Strict):
    codebook: Path
    coder: str = "hybrid"
    labels: Path | None = Field(
        None, description="hand-coded sample (id, codes): calibrates and measures agreement"
    )
    calibration_rows: int = Field(
        300, ge=20, description="labelled rows used to calibrate; the rest measure agreement"
    )
    embedding_model: str | None = None


class TopicsConfig(TopicSettings):
    enabled: bool = True
    include_transcripts: bool = True


class QuotesConfig(_Strict):
    per_code: int = Field(4, ge=1, le=20)
    diversity: float = Field(0.3, ge=0, le=1)
    balance: Literal["proportional", "none"] = "proportional"
    placeholders: Literal["placeholder", "surrogate", "tags"] = "placeholder"
    paper: Literal["A4", "Letter"] = "A4"
    marking: str = "OFFICIAL-SENSITIVE"


class StudyConfig(_Strict):
    """Everything one study run needs."""

    name: str
    description: str = ""
    inputs: Inputs
    anonymise: AnonymiseConfig = AnonymiseConfig()
    coding: CodingConfig
    topics: TopicsConfig = TopicsConfig()
    quotes: QuotesConfig = QuotesConfig()
    output_dir: Path = Path("out/study")

    def resolved(self, base: Path) -> StudyConfig:
        """A copy with every relative path made absolute against ``base``."""

        def fix(value: Any) -> Any:
            if isinstance(value, Path):
                return value if value.is_absolute() else (base / value).resolve()
            if isinstance(value, BaseModel):
                return value.model_copy(
                    update={name: fix(getattr(value, name)) for name in type(value).model_fields}
                )
            return value

        return fix(self)  # type: ignore[no-any-return]


def load_study(path: str | Path) -> StudyConfig:
    """Read and validate a study YAML; relative paths are taken from its folder."""
    path = Path(path)
    if not path.exists():
        raise ConfigError(
            f"study file '{path}' not found. Fix: give the path to your study YAML (see "
            "examples/synthetic_study.yaml)."
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"study file '{path}' is not valid YAML{where}.") from None
    if not isinstance(data, dict):
        raise ConfigError(f"study file '{path}' must be a mapping of settings.")
    try:
        config = StudyConfig.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise ConfigError(
            f"study file '{path}' has {error.error_count()} problem(s): {problems}. Fix: "
            "correct those fields (examples/synthetic_study.yaml shows every field)."
        ) from None
    return config.resolved(path.resolve().parent)
