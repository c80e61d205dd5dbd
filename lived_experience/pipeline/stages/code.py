"""Stage ``code``: apply the codebook (calibrated or trained on the hand-coded sample), measure
agreement on held-out labels, and tabulate the themes by group."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from lived_experience.output import write_table
from lived_experience.pipeline.config import StudyConfig
from lived_experience.pipeline.stage import (
    CODED_QDPX,
    CODED_SEGMENTS,
    CODED_SURVEY,
    SURVEY_OUT,
    TRANSCRIPTS_OUT,
    Stage,
    StageContext,
)

REVIEW_QUEUE = "shareable/coding_review_queue.csv"


def inputs(config: StudyConfig, folder: Path) -> dict[str, Path | None]:
    found: dict[str, Path | None] = {
        "survey": folder / SURVEY_OUT if config.inputs.survey else None,
        "transcripts": folder / TRANSCRIPTS_OUT if config.inputs.transcripts else None,
        "codebook": config.coding.codebook,
        "labels": config.coding.labels,
    }
    if config.coding.training_labels is not None:
        found["training_labels"] = config.coding.training_labels
    return found


def settings(config: StudyConfig) -> dict[str, Any]:
    survey = config.inputs.survey
    return {
        "coding": config.coding.model_dump(
            mode="json", exclude={"codebook", "labels", "training_labels"}
        ),
        "text_columns": survey.text_columns if survey else [],
        "id_column": survey.id_column if survey else None,
        "group_column": survey.group_column if survey else None,
    }


def run(ctx: StageContext) -> tuple[list[Path], dict[str, Any]]:
    from lived_experience import coding
    from lived_experience.ingest import read_survey, read_table

    config = ctx.config
    codebook = ctx.codebook()
    written: list[Path] = []
    segments = []
    survey = config.inputs.survey
    coder: Any = None
    summary: dict[str, Any] = {}
    if survey is not None:
        frame = read_survey(ctx.path(SURVEY_OUT), id_column=survey.id_column)
        source = survey.path.name
        labels = (
            coding.read_labels(config.coding.labels, source=source)
            if config.coding.labels
            else None
        )
        training = (
            coding.read_labels(config.coding.training_labels, source=source)
            if config.coding.training_labels
            else None
        )
        result = coding.run(
            frame,
            codebook,
            config.coding,
            text_columns=survey.text_columns,
            id_column=survey.id_column,
            labels=labels,
            training_labels=training,
            embedder=ctx.embedder(),
            engine=config.engine,
            spark_master=config.spark_master,
            near=ctx.folder,
        )
        coder = result.coder
        summary["coder"] = result.record["coder"]
        summary["calibrated"] = result.record["calibrated"]
        if result.calibrated_on:
            summary["calibrated_on"] = result.calibrated_on
        if result.expected_agreement is not None:
            summary["trained"] = True
        coded = result.coded
        write_table(coded.frame, ctx.path(CODED_SURVEY), escape_columns=survey.text_columns)
        written.append(ctx.path(CODED_SURVEY))
        from lived_experience.coding.refi_qda import write_survey_qdpx

        write_survey_qdpx(
            codebook,
            coded,
            survey.text_columns,
            survey.id_column,
            ctx.path(CODED_QDPX),
            coder_name=f"lived_experience {summary['coder']}",
        )
        written.append(ctx.path(CODED_QDPX))
        segments.append(coded.segments.assign(source="survey"))
        if result.review_queue is not None:
            write_table(result.review_queue, ctx.path(REVIEW_QUEUE))
            written.append(ctx.path(REVIEW_QUEUE))
        if result.agreement is not None:
            table = result.agreement
            write_table(table, ctx.path("shareable/coding_agreement.csv"))
            written.append(ctx.path("shareable/coding_agreement.csv"))
            overall = table.set_index("code").loc["(overall)"]
            summary["agreement"] = {
                "units": result.agreement_units,
                "kappa": round(float(overall["kappa"]), 3),
                "alpha": round(float(overall["alpha"]), 3),
                "ac1": round(float(overall["ac1"]), 3),
                "reading": str(overall["reading"]),
            }
        if survey.group_column in coded.frame.columns:
            k = config.anonymise.k
            prevalence = coding.prevalence_by_group(
                coded.frame, survey.group_column, codebook.code_ids, k=k
            )
            write_table(prevalence, ctx.path("shareable/theme_prevalence_by_group.csv"))
            ratio = coding.minority_white_ratio(
                coded.frame, codebook.code_ids, group_column=survey.group_column, k=k
            )
            write_table(ratio, ctx.path("shareable/theme_ratio_minority_white.csv"))
            written += [
                ctx.path("shareable/theme_prevalence_by_group.csv"),
                ctx.path("shareable/theme_ratio_minority_white.csv"),
            ]
        summary["survey_rows_with_a_code"] = int((coded.frame["codes"] != "").sum())
    if config.inputs.transcripts is not None:
        if coder is None:  # transcripts only: nothing to calibrate or train on
            coder, record = coding.build_stage_coder(codebook, config.coding, ctx.embedder())
            summary["coder"] = record["coder"]
        turns = read_table(ctx.path(TRANSCRIPTS_OUT))
        coded_turns = coding.code_frame(turns, ["text"], "segment_id", coder)
        segments.append(coded_turns.segments.assign(source="transcripts"))
        summary["transcript_turns_with_a_code"] = int((coded_turns.frame["codes"] != "").sum())
    all_segments = pd.concat(segments, ignore_index=True) if segments else pd.DataFrame()
    write_table(
        all_segments, ctx.path(CODED_SEGMENTS), escape_columns=["sentence", "evidence", "answer"]
    )
    written.append(ctx.path(CODED_SEGMENTS))
    summary["coded_sentences"] = len(all_segments)
    ctx.echo(
        f"    {len(all_segments)} coded sentences"
        + (
            f"; agreement with held-out labels: kappa {summary['agreement']['kappa']}"
            if "agreement" in summary
            else ""
        )
    )
    return written, summary


STAGE = Stage(
    "code",
    "code.v1",
    "apply the codebook",
    inputs,
    settings,
    run,
    outputs=(CODED_SURVEY, CODED_QDPX, CODED_SEGMENTS, "shareable/coding_agreement.csv"),
)
