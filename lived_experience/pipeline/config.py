"""The study config: one validated YAML file describing a whole study run.

Paths are relative to the YAML file's folder. A typo in a field name fails loudly, naming the
field; see ``examples/synthetic_study.yaml`` for an annotated example.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lived_experience.anonymise.stage import AnonymiseSettings
from lived_experience.coding.stage import CodingSettings
from lived_experience.errors import ConfigError
from lived_experience.ingest.stage import SurveySource
from lived_experience.quotes.stage import QuoteSettings
from lived_experience.topics.settings import TopicSettings


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SurveyInput(SurveySource):
    """A survey export (CSV or XLSX): its id column, free-text columns and attributes."""

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


class AnonymiseConfig(AnonymiseSettings):
    """The anonymise stage's settings (every anonymiser setting, ``k``, the reviewer's
    ``decisions``, ``secret_file``), plus gold annotations to measure the anonymiser on."""

    gold: Path | None = Field(
        None, description="gold annotations (JSONL) to measure recall and precision on"
    )
    decisions: Path | None = Field(
        None,
        description="reviewer's decisions file for the survey (from `lived-experience app` or "
        "an edited entities CSV), applied as `anonymise --decisions` does",
    )


class CodingConfig(CodingSettings):
    """The coding stage's settings, plus the codebook and the hand-coded samples."""

    codebook: Path
    labels: Path | None = Field(
        None,
        description="hand-coded sample (id, codes): calibrates (or trains the learned coder) "
        "and measures agreement",
    )
    training_labels: Path | None = Field(
        None, description="the learned coder's training sample (default: labels)"
    )
    calibration_rows: int = Field(  # type: ignore[assignment]
        300,
        ge=20,
        description="first N rows calibrate or train; labelled rows after them measure agreement",
    )

    @model_validator(mode="after")
    def _learned_needs_labels(self) -> CodingConfig:
        if self.coder in {"learned", "learned_coder.v1"} and not (
            self.labels or self.training_labels
        ):
            raise ValueError("coder 'learned' needs labels or training_labels to train on")
        return self


class TopicsConfig(TopicSettings):
    enabled: bool = True
    include_transcripts: bool = True


class QuotesConfig(QuoteSettings):
    per_code: int = Field(4, ge=1, le=20)


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
    engine: Literal["local", "spark"] = Field(
        "local", description="where survey anonymisation and coding run (docs/spark.md)"
    )
    spark_master: str | None = Field(None, description="Spark master for engine: spark")

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
    from lived_experience.ingest.text_files import read_text_file

    text, _ = read_text_file(path)  # encoding and size checked like every input
    try:
        data = yaml.safe_load(text)
    except RecursionError:
        raise ConfigError(f"study file '{path}' is nested too deeply.") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(
            f"study file '{path}' is not valid YAML{where}. Fix: check the brackets, quotes "
            "and indentation there (examples/synthetic_study.yaml shows the layout)."
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(
            f"study file '{path}' must be a mapping of settings. Fix: start from "
            "examples/synthetic_study.yaml."
        )
    try:
        config = StudyConfig.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise ConfigError(
            f"study file '{path}' has {error.error_count()} problem(s): {problems}. Fix: "
            "correct those fields (examples/synthetic_study.yaml shows every field)."
        ) from None
    return config.resolved(path.resolve().parent)
