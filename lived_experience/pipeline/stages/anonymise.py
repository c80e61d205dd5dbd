"""Stage ``anonymise``: anonymise the survey and transcripts, apply the reviewer's decisions,
enforce k-anonymity, and measure the anonymiser on gold annotations if given."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from lived_experience.output import write_table
from lived_experience.pipeline.config import StudyConfig
from lived_experience.pipeline.stage import SURVEY_OUT, TRANSCRIPTS_OUT, Stage, StageContext
from lived_experience.pipeline.stages import ingest


def inputs(config: StudyConfig, folder: Path) -> dict[str, Path | None]:
    from lived_experience.project_secret import default_secret_path

    return {
        **ingest.inputs(config, folder),
        "secret": config.anonymise.secret_file or default_secret_path(),
        "gold": config.anonymise.gold,
        "decisions": config.anonymise.decisions,
    }


def settings(config: StudyConfig) -> dict[str, Any]:
    return {
        **ingest.settings(config),
        "anonymise": config.anonymise.model_dump(
            mode="json", exclude={"secret_file", "gold", "decisions"}
        ),
    }


def run(ctx: StageContext) -> tuple[list[Path], dict[str, Any]]:
    from lived_experience import anonymise
    from lived_experience.anonymise.evaluate import evaluate_anonymiser, load_gold

    anonymiser = ctx.anonymiser()
    settings = ctx.config.anonymise
    written: list[Path] = []
    by_type: Counter[str] = Counter()
    summary: dict[str, Any] = {}
    survey = ctx.config.inputs.survey
    if survey is not None:
        out = ctx.path(SURVEY_OUT)
        entities, review = (
            ctx.path("review_pack/survey_entities.csv"),
            ctx.path("review_pack/survey_review.html"),
        )
        result = anonymise.run(
            survey.path,
            out,
            settings,
            text_columns=survey.text_columns,
            id_column=survey.id_column,
            quasi_identifiers=survey.quasi_identifiers,
            entities_path=entities,
            review_path=review,
            anonymiser=anonymiser,
            engine=ctx.config.engine,
            spark_master=ctx.config.spark_master,
        )
        by_type.update(result.summary.by_type)
        summary["survey_cells_changed"] = result.summary.cells_changed
        summary["flagged_indirect"] = result.summary.flagged_indirect
        written += [out, entities, review]
        report = result.disclosure
        if report is not None:
            write_table(report.as_frame(), ctx.path("shareable/disclosure_control.csv"))
            written.append(ctx.path("shareable/disclosure_control.csv"))
            summary["k"] = settings.k
            summary["small_groups_before"] = report.small_groups_before
            summary["generalised"] = dict(report.generalised)
            summary["suppressed_rows"] = report.suppressed_rows
    if ctx.config.inputs.transcripts is not None:
        out = ctx.path(TRANSCRIPTS_OUT)
        entities, review = (
            ctx.path("review_pack/transcript_entities.csv"),
            ctx.path("review_pack/transcript_review.html"),
        )
        result = anonymise.run(
            ctx.config.inputs.transcripts,
            out,
            settings,
            entities_path=entities,
            review_path=review,
            anonymiser=anonymiser,
        )
        by_type.update(result.summary.by_type)
        summary["transcript_cells_changed"] = result.summary.cells_changed
        written += [out, entities, review]
    summary["identifiers_by_type"] = dict(sorted(by_type.items()))
    summary["identifiers"] = sum(by_type.values())
    if settings.gold is not None:
        metrics, _ = evaluate_anonymiser(load_gold(settings.gold), anonymiser)
        path = ctx.path("shareable/anonymiser_evaluation.csv")
        write_table(metrics, path)
        written.append(path)
        overall = metrics.set_index("group").loc["all identifiers"]
        origins = metrics[metrics["group_kind"] == "name_origin"]
        summary["evaluation"] = {
            "recall": round(float(overall["recall"]), 4),
            "precision": round(float(overall["precision"]), 4),
            "lowest_name_origin_recall": round(float(origins["recall"].min()), 4)
            if len(origins)
            else None,
        }
    ctx.echo(
        f"    {summary['identifiers']} identifiers replaced; "
        f"{summary.get('flagged_indirect', 0)} indirect identifiers flagged for review"
    )
    return written, summary


STAGE = Stage(
    "anonymise",
    "anonymise.v1",
    "anonymise free text, disclosure control",
    inputs,
    settings,
    run,
    outputs=(SURVEY_OUT, TRANSCRIPTS_OUT, "shareable/disclosure_control.csv", "review_pack/"),
)
