"""Stage ``topics``: emergent topics (BERTopic) over survey answers and transcript turns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lived_experience.pipeline.config import StudyConfig
from lived_experience.pipeline.stage import SURVEY_OUT, TRANSCRIPTS_OUT, Stage, StageContext
from lived_experience.pipeline.stages import code


def inputs(config: StudyConfig, folder: Path) -> dict[str, Path | None]:
    found = code.inputs(config, folder)
    found.pop("labels")
    found.pop("training_labels", None)
    if not config.topics.include_transcripts:
        found["transcripts"] = None
    return found


def settings(config: StudyConfig) -> dict[str, Any]:
    return {
        "topics": config.topics.model_dump(mode="json"),
        "embedding_model": config.coding.embedding_model,
        **{k: v for k, v in code.settings(config).items() if k != "coding"},
    }


def run(ctx: StageContext) -> tuple[list[Path], dict[str, Any]]:
    from lived_experience import topics
    from lived_experience.ingest import read_survey, read_table

    config = ctx.config
    survey = config.inputs.survey
    documents = topics.study_documents(
        read_survey(ctx.path(SURVEY_OUT), id_column=survey.id_column) if survey else None,
        survey.text_columns if survey else (),
        survey.id_column if survey else None,
        read_table(ctx.path(TRANSCRIPTS_OUT))
        if config.inputs.transcripts is not None and config.topics.include_transcripts
        else None,
    )
    settings = topics.TopicSettings(
        **config.topics.model_dump(exclude={"enabled", "include_transcripts"})
    )
    result = topics.model_topics(
        documents,
        ["text"],
        "document",
        settings=settings,
        embedder=ctx.embedder(),
        codebook=ctx.codebook(),
        group_columns=topics.study_group_columns(
            documents, survey.group_column if survey else None
        ),
        anonymiser=ctx.anonymiser(),
    )
    written = topics.write_topic_outputs(result, ctx.path("shareable/topics"))
    real = result.topics[result.topics["topic"] != -1]
    flagged = (
        real["candidate_new_code"].fillna(False).astype(bool)
        if "candidate_new_code" in real
        else []
    )
    summary: dict[str, Any] = {
        "topics": len(real),
        "answers": int(result.topics["size"].sum()),
        "unassigned_share": round(result.unassigned_share, 4),
        "outliers_before_reduction": round(result.outliers_before_reduction, 4),
        "candidate_new_codes": [int(t) for t in real.loc[flagged, "topic"]] if len(real) else [],
    }
    ctx.echo(
        f"    {summary['topics']} topics; {summary['unassigned_share']:.1%} of answers unassigned; "
        f"{len(summary['candidate_new_codes'])} candidate new code(s)"
    )
    return written, summary


STAGE = Stage(
    "topics",
    "topics.v1",
    "emergent topics (BERTopic)",
    inputs,
    settings,
    run,
    outputs=("shareable/topics/",),
    enabled=lambda config: config.topics.enabled,
)
