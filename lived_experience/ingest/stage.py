"""The ingest stage's entry point: read a study's user files once, check them, count them.

Ingest is the only reader of user files. The command line and the study pipeline both call
:func:`run` (or :func:`read_text_table` for one input), and every later stage takes the
frames it returns or the tables earlier stages wrote (read back with
:func:`~lived_experience.ingest.survey.read_table`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from lived_experience.errors import ConfigError
from lived_experience.ingest.answers import is_answer
from lived_experience.ingest.survey import read_survey
from lived_experience.ingest.transcripts import read_transcripts


class SurveySource(BaseModel):
    """A survey export (CSV or XLSX): where it is, its id column and free-text columns."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Path
    id_column: str
    text_columns: list[str] = Field(min_length=1)


@dataclass
class IngestResult:
    """What ingest read: the survey rows, the transcript turns, and counts (never values)."""

    survey: pd.DataFrame | None = None
    transcripts: pd.DataFrame | None = None
    summary: dict[str, Any] = field(default_factory=dict)


def run(survey: SurveySource | None = None, transcripts: Path | None = None) -> IngestResult:
    """Read and check a study's survey export and transcript folder.

    Examples
    --------
    >>> source = SurveySource(path="data/synthetic/staff_survey.csv",
    ...                       id_column="respondent_id", text_columns=["q_experience"])
    >>> run(source).summary["survey_rows"]
    2400
    """
    if survey is None and transcripts is None:
        raise ConfigError(
            "nothing to read. Fix: give a survey export, a transcript folder or both."
        )
    result = IngestResult()
    if survey is not None:
        frame = read_survey(
            survey.path, id_column=survey.id_column, text_columns=survey.text_columns
        )
        result.survey = frame
        result.summary["survey_rows"] = len(frame)
        result.summary["survey_answers"] = {
            c: int(frame[c].map(is_answer).sum()) for c in survey.text_columns
        }
    if transcripts is not None:
        turns = read_transcripts(transcripts)
        result.transcripts = turns
        result.summary["transcripts"] = int(turns["document_id"].nunique())
        result.summary["transcript_turns"] = len(turns)
        result.summary["respondent_turns"] = int((turns["speaker_role"] == "respondent").sum())
    return result


@dataclass(frozen=True)
class TextTable:
    """Rows to code or model: the frame, its free-text columns and its id column."""

    frame: pd.DataFrame
    text_columns: list[str]
    id_column: str


def read_text_table(
    path: str | Path, text_columns: Sequence[str] | None = None, id_column: str | None = None
) -> TextTable:
    """A survey export (with its text and id columns named) or a transcript folder.

    A folder gives the transcript turns, coded on ``text`` and keyed by ``segment_id``.
    """
    path = Path(path)
    if path.is_dir():
        return TextTable(read_transcripts(path), ["text"], "segment_id")
    if not text_columns or not id_column:
        raise ConfigError(
            "name the free-text column(s) and the id column. Fix: add --text-column COLUMN "
            "--id-column ID."
        )
    frame = read_survey(path, id_column=id_column, text_columns=text_columns)
    return TextTable(frame, list(text_columns), id_column)
