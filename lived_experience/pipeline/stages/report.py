"""Stage ``report``: one self-contained ``report.html`` from the other stages' results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lived_experience.pipeline.config import StudyConfig
from lived_experience.pipeline.stage import Stage, StageContext


def inputs(config: StudyConfig, folder: Path) -> dict[str, Path | None]:
    return {"shareable": folder / "shareable", "codebook": config.coding.codebook}


def settings(config: StudyConfig) -> dict[str, Any]:
    return {"name": config.name, "description": config.description, "k": config.anonymise.k}


def run(ctx: StageContext) -> tuple[list[Path], dict[str, Any]]:
    from lived_experience.report import StudyResults, write_report

    survey = ctx.config.inputs.survey
    results = StudyResults(
        name=ctx.config.name,
        description=ctx.config.description,
        group_column=survey.group_column if survey else "group",
        summaries={name: ctx.manifest.summary(name) for name in ctx.manifest.stages},
        environment=ctx.manifest.environment,
        fingerprints={
            name: entry.get("fingerprint", "") for name, entry in ctx.manifest.stages.items()
        },
    )
    path = write_report(ctx.folder, results, ctx.codebook())
    return [path], {"bytes": path.stat().st_size}


STAGE = Stage("report", "report.v1", "report.html", inputs, settings, run, outputs=("report.html",))
