"""Stage ``ingest``: read and check the study's user files (the only reader of them)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lived_experience.output import write_text_atomic
from lived_experience.pipeline.config import StudyConfig
from lived_experience.pipeline.stage import Stage, StageContext


def inputs(config: StudyConfig, folder: Path) -> dict[str, Path | None]:
    survey = config.inputs.survey
    return {"survey": survey.path if survey else None, "transcripts": config.inputs.transcripts}


def settings(config: StudyConfig) -> dict[str, Any]:
    survey = config.inputs.survey
    return {"survey": survey.model_dump(mode="json", exclude={"path"}) if survey else None}


def run(ctx: StageContext) -> tuple[list[Path], dict[str, Any]]:
    from lived_experience import ingest

    result = ingest.run(ctx.config.inputs.survey, ctx.config.inputs.transcripts)
    summary = result.summary
    path = ctx.path("shareable/ingest_summary.json")
    write_text_atomic(path, json.dumps(summary, indent=2, sort_keys=True) + "\n")
    ctx.echo(
        f"    {summary.get('survey_rows', 0)} survey rows, {summary.get('transcripts', 0)} "
        f"transcripts ({summary.get('transcript_turns', 0)} turns)"
    )
    return [path], summary


STAGE = Stage(
    "ingest",
    "ingest.v1",
    "read and check the inputs",
    inputs,
    settings,
    run,
    outputs=("shareable/ingest_summary.json",),
)
