"""The stages of a study run, each a small function over the previous stages' files.

Every stage declares its inputs (files whose content decides its output), its settings and
what it writes; :mod:`lived_experience.pipeline.run` fingerprints those to skip stages whose
inputs and settings are unchanged. Shareable outputs go to ``shareable/``; anything holding
original values goes to ``review_pack/`` (SENSITIVE), never beside them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from lived_experience.output import write_table, write_text_atomic
from lived_experience.pipeline.config import StudyConfig
from lived_experience.pipeline.manifest import Manifest

SURVEY_OUT = "shareable/survey_anonymised.csv"
TRANSCRIPTS_OUT = "shareable/transcripts_anonymised.csv"
CODED_SURVEY = "shareable/coded_survey.csv"
CODED_SEGMENTS = "shareable/coded_segments.csv"
CODED_QDPX = "shareable/coded_survey.qdpx"  # NVivo / ATLAS.ti / MAXQDA (REFI-QDA)


@dataclass
class StageContext:
    """What a running stage can use: the config, the output folder, progress and models."""

    config: StudyConfig
    folder: Path
    manifest: Manifest
    echo: Callable[[str], object]
    _cache: dict[str, Any] = field(default_factory=dict)

    def path(self, relative: str) -> Path:
        return self.folder / relative

    def secret_path(self) -> Path:
        from lived_experience.project_secret import default_secret_path

        return self.config.anonymise.secret_file or default_secret_path()

    def anonymiser(self) -> Any:
        if "anonymiser" not in self._cache:
            from lived_experience.anonymise import Anonymiser, AnonymiserSettings
            from lived_experience.anonymise.pseudonyms import load_or_create_secret

            settings = self.config.anonymise
            self._cache["anonymiser"] = Anonymiser(
                AnonymiserSettings(
                    spacy_model=settings.spacy_model,
                    allow_list=tuple(settings.allow_list),
                    deny_list=tuple(settings.deny_list),
                ),
                secret=load_or_create_secret(self.secret_path()),
            )
        return self._cache["anonymiser"]

    def embedder(self) -> Any:
        if "embedder" not in self._cache:
            from lived_experience.coding import Embedder

            self._cache["embedder"] = Embedder(self.config.coding.embedding_model)
        return self._cache["embedder"]

    def codebook(self) -> Any:
        if "codebook" not in self._cache:
            from lived_experience.codebook import load_codebook

            self._cache["codebook"] = load_codebook(self.config.coding.codebook)
        return self._cache["codebook"]


@dataclass(frozen=True)
class Stage:
    """A named, versioned step: its inputs and settings decide whether it runs again."""

    name: str
    version: str
    describe: str
    inputs: Callable[[StudyConfig, Path], dict[str, Path | None]]
    settings: Callable[[StudyConfig], dict[str, Any]]
    run: Callable[[StageContext], tuple[list[Path], dict[str, Any]]]


# -- ingest ------------------------------------------------------------------------------
def _ingest_inputs(config: StudyConfig, folder: Path) -> dict[str, Path | None]:
    survey = config.inputs.survey
    return {"survey": survey.path if survey else None, "transcripts": config.inputs.transcripts}


def _ingest_settings(config: StudyConfig) -> dict[str, Any]:
    survey = config.inputs.survey
    return {"survey": survey.model_dump(mode="json", exclude={"path"}) if survey else None}


def _ingest(ctx: StageContext) -> tuple[list[Path], dict[str, Any]]:
    from lived_experience.ingest import read_survey, read_transcripts
    from lived_experience.topics import is_answer

    summary: dict[str, Any] = {}
    survey = ctx.config.inputs.survey
    if survey is not None:
        frame = read_survey(
            survey.path, id_column=survey.id_column, text_columns=survey.text_columns
        )
        summary["survey_rows"] = len(frame)
        summary["survey_answers"] = {
            c: int(frame[c].map(is_answer).sum()) for c in survey.text_columns
        }
    if ctx.config.inputs.transcripts is not None:
        turns = read_transcripts(ctx.config.inputs.transcripts)
        summary["transcripts"] = int(turns["document_id"].nunique())
        summary["transcript_turns"] = len(turns)
        summary["respondent_turns"] = int((turns["speaker_role"] == "respondent").sum())
    path = ctx.path("shareable/ingest_summary.json")
    write_text_atomic(path, json.dumps(summary, indent=2, sort_keys=True) + "\n")
    ctx.echo(
        f"    {summary.get('survey_rows', 0)} survey rows, {summary.get('transcripts', 0)} "
        f"transcripts ({summary.get('transcript_turns', 0)} turns)"
    )
    return [path], summary


# -- anonymise ---------------------------------------------------------------------------
def _anonymise_inputs(config: StudyConfig, folder: Path) -> dict[str, Path | None]:
    from lived_experience.project_secret import default_secret_path

    return {
        **_ingest_inputs(config, folder),
        "secret": config.anonymise.secret_file or default_secret_path(),
        "gold": config.anonymise.gold,
    }


def _anonymise_settings(config: StudyConfig) -> dict[str, Any]:
    return {
        **_ingest_settings(config),
        "anonymise": config.anonymise.model_dump(mode="json", exclude={"secret_file", "gold"}),
    }


def _anonymise(ctx: StageContext) -> tuple[list[Path], dict[str, Any]]:
    from lived_experience.anonymise.disclosure import enforce_k_anonymity
    from lived_experience.anonymise.evaluate import evaluate_anonymiser, load_gold
    from lived_experience.anonymise.files import anonymise_file
    from lived_experience.ingest import read_survey

    anonymiser = ctx.anonymiser()
    settings = ctx.config.anonymise
    written: list[Path] = []
    by_type: Counter[str] = Counter()
    summary: dict[str, Any] = {}
    survey = ctx.config.inputs.survey
    if survey is not None:
        out = ctx.path(SURVEY_OUT)
        result = anonymise_file(
            survey.path,
            out,
            survey.text_columns,
            survey.id_column,
            anonymiser,
            entities_path=ctx.path("review_pack/survey_entities.csv"),
            review_path=ctx.path("review_pack/survey_review.html"),
        )
        by_type.update(result.by_type)
        summary["survey_cells_changed"] = result.cells_changed
        summary["flagged_indirect"] = result.flagged_indirect
        written += [
            out,
            ctx.path("review_pack/survey_entities.csv"),
            ctx.path("review_pack/survey_review.html"),
        ]
        if survey.quasi_identifiers:
            frame = read_survey(out, id_column=survey.id_column)
            protected, report = enforce_k_anonymity(frame, survey.quasi_identifiers, settings.k)
            write_table(protected, out, escape_columns=survey.text_columns)
            write_table(report.as_frame(), ctx.path("shareable/disclosure_control.csv"))
            written.append(ctx.path("shareable/disclosure_control.csv"))
            summary["k"] = settings.k
            summary["small_groups_before"] = report.small_groups_before
            summary["generalised"] = dict(report.generalised)
            summary["suppressed_rows"] = report.suppressed_rows
    if ctx.config.inputs.transcripts is not None:
        out = ctx.path(TRANSCRIPTS_OUT)
        result = anonymise_file(
            ctx.config.inputs.transcripts,
            out,
            [],
            None,
            anonymiser,
            entities_path=ctx.path("review_pack/transcript_entities.csv"),
            review_path=ctx.path("review_pack/transcript_review.html"),
        )
        by_type.update(result.by_type)
        summary["transcript_cells_changed"] = result.cells_changed
        written += [
            out,
            ctx.path("review_pack/transcript_entities.csv"),
            ctx.path("review_pack/transcript_review.html"),
        ]
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


# -- code --------------------------------------------------------------------------------
def _read_labels(path: Path, source: str | None) -> pd.DataFrame:
    """``id``, ``codes`` from a hand-coded sample: one row per unit, or per (record, field)."""
    labels = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "record_id" in labels.columns:
        if source is not None and "source" in labels.columns:
            labels = labels[labels["source"] == source]
        rolled = labels.groupby("record_id", sort=False)["codes"].agg(
            lambda values: ";".join(sorted({c for v in values for c in v.split(";") if c}))
        )
        return rolled.rename_axis("id").reset_index()
    from lived_experience.schemas import require_columns

    require_columns(labels, ["id", "codes"], f"labels file '{path.name}'")
    return labels[["id", "codes"]]


def _code_inputs(config: StudyConfig, folder: Path) -> dict[str, Path | None]:
    return {
        "survey": folder / SURVEY_OUT if config.inputs.survey else None,
        "transcripts": folder / TRANSCRIPTS_OUT if config.inputs.transcripts else None,
        "codebook": config.coding.codebook,
        "labels": config.coding.labels,
    }


def _code_settings(config: StudyConfig) -> dict[str, Any]:
    survey = config.inputs.survey
    return {
        "coding": config.coding.model_dump(mode="json", exclude={"codebook", "labels"}),
        "text_columns": survey.text_columns if survey else [],
        "id_column": survey.id_column if survey else None,
        "group_column": survey.group_column if survey else None,
    }


def _code(ctx: StageContext) -> tuple[list[Path], dict[str, Any]]:
    from lived_experience.coding import (
        agreement,
        build_coder,
        calibrate_thresholds,
        code_frame,
        minority_white_ratio,
        prevalence_by_group,
    )
    from lived_experience.ingest import read_survey

    config = ctx.config
    codebook = ctx.codebook()
    coder_name = config.coding.coder
    coder: Any = (
        build_coder(coder_name, codebook)
        if coder_name == "rule"
        else build_coder(coder_name, codebook, embedder=ctx.embedder())
    )
    summary: dict[str, Any] = {"coder": getattr(coder, "name", coder_name)}
    written: list[Path] = []
    segments = []
    survey = config.inputs.survey
    if survey is not None:
        frame = read_survey(ctx.path(SURVEY_OUT), id_column=survey.id_column)
        labels = (
            _read_labels(config.coding.labels, survey.path.name) if config.coding.labels else None
        )
        sample_ids: set[str] = set()
        if labels is not None and hasattr(coder, "thresholds"):
            sample = frame.iloc[: config.coding.calibration_rows]
            sample_ids = set(sample[survey.id_column].astype(str))
            calibrate_thresholds(coder, sample, survey.text_columns, survey.id_column, labels)
            summary["calibrated_on"] = len(sample)
        coded = code_frame(frame, survey.text_columns, survey.id_column, coder)
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
        if labels is not None:
            held_out = coded.frame[~coded.frame[survey.id_column].astype(str).isin(sample_ids)]
            table = agreement(
                held_out.rename(columns={survey.id_column: "id"}),
                labels,
                code_ids=codebook.code_ids,
            )
            write_table(table, ctx.path("shareable/coding_agreement.csv"))
            written.append(ctx.path("shareable/coding_agreement.csv"))
            overall = table.set_index("code").loc["(overall)"]
            summary["agreement"] = {
                "units": int(len(held_out)),
                "kappa": round(float(overall["kappa"]), 3),
                "alpha": round(float(overall["alpha"]), 3),
                "ac1": round(float(overall["ac1"]), 3),
                "reading": str(overall["reading"]),
            }
        if survey.group_column in coded.frame.columns:
            k = config.anonymise.k
            prevalence = prevalence_by_group(
                coded.frame, survey.group_column, codebook.code_ids, k=k
            )
            write_table(prevalence, ctx.path("shareable/theme_prevalence_by_group.csv"))
            ratio = minority_white_ratio(
                coded.frame, codebook.code_ids, group_column=survey.group_column, k=k
            )
            write_table(ratio, ctx.path("shareable/theme_ratio_minority_white.csv"))
            written += [
                ctx.path("shareable/theme_prevalence_by_group.csv"),
                ctx.path("shareable/theme_ratio_minority_white.csv"),
            ]
        summary["survey_rows_with_a_code"] = int((coded.frame["codes"] != "").sum())
    if config.inputs.transcripts is not None:
        turns = pd.read_csv(ctx.path(TRANSCRIPTS_OUT), dtype=str, keep_default_na=False)
        coded_turns = code_frame(turns, ["text"], "segment_id", coder)
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


# -- topics ------------------------------------------------------------------------------
def _topics_inputs(config: StudyConfig, folder: Path) -> dict[str, Path | None]:
    inputs = _code_inputs(config, folder)
    inputs.pop("labels")
    if not config.topics.include_transcripts:
        inputs["transcripts"] = None
    return inputs


def _topics_settings(config: StudyConfig) -> dict[str, Any]:
    return {
        "topics": config.topics.model_dump(mode="json"),
        "embedding_model": config.coding.embedding_model,
        **{k: v for k, v in _code_settings(config).items() if k != "coding"},
    }


def _topics(ctx: StageContext) -> tuple[list[Path], dict[str, Any]]:
    from lived_experience.ingest import read_survey
    from lived_experience.topics import TopicSettings, model_topics, write_topic_outputs
    from lived_experience.topics.corpus import documents_of

    config = ctx.config
    frames = []
    survey = config.inputs.survey
    if survey is not None:
        frame = read_survey(ctx.path(SURVEY_OUT), id_column=survey.id_column)
        answers = documents_of(frame, survey.text_columns, survey.id_column)
        answers = answers.drop(columns=["is_answer"]).rename(columns={"id": survey.id_column})
        answers["document"] = answers[survey.id_column] + ":" + answers["field"]
        frames.append(answers.rename(columns={"field": "question"}).assign(source="survey"))
    if config.inputs.transcripts is not None and config.topics.include_transcripts:
        turns = pd.read_csv(ctx.path(TRANSCRIPTS_OUT), dtype=str, keep_default_na=False)
        turns = turns.drop(columns=["field"], errors="ignore")
        turns = turns.assign(document=turns["segment_id"], source="transcripts")
        frames.append(turns)
    documents = pd.concat(frames, ignore_index=True)
    settings = TopicSettings(**config.topics.model_dump(exclude={"enabled", "include_transcripts"}))
    result = model_topics(
        documents,
        ["text"],
        "document",
        settings=settings,
        embedder=ctx.embedder(),
        codebook=ctx.codebook(),
        group_columns=[
            c
            for c in ("source", survey.group_column if survey else "")
            if c and c in documents.columns
        ]
        + [c for c in ("staff_group", "org_code") if c in documents.columns],
        anonymiser=ctx.anonymiser(),
    )
    written = write_topic_outputs(result, ctx.path("shareable/topics"))
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


# -- wres --------------------------------------------------------------------------------
def _wres_inputs(config: StudyConfig, folder: Path) -> dict[str, Path | None]:
    wres = config.inputs.wres
    return {
        "returns": wres.returns if wres else None,
        "bands": wres.bands if wres else None,
        "staff_survey": wres.staff_survey if wres else None,
        "coded": folder / CODED_SURVEY if config.inputs.survey else None,
        "codebook": config.coding.codebook,
    }


def _wres_settings(config: StudyConfig) -> dict[str, Any]:
    return {"k": config.anonymise.k}


def _wres(ctx: StageContext) -> tuple[list[Path], dict[str, Any]]:
    from lived_experience.wres import (
        compute_indicators,
        read_bands,
        read_returns,
        read_staff_survey,
    )
    from lived_experience.wres.charts import write_crossref_charts
    from lived_experience.wres.crossref import crossref

    wres = ctx.config.inputs.wres
    assert wres is not None
    indicators = compute_indicators(
        read_returns(wres.returns),
        read_bands(wres.bands) if wres.bands else None,
        read_staff_survey(wres.staff_survey) if wres.staff_survey else None,
    )
    written = [ctx.path("shareable/wres/wres_indicators.csv")]
    write_table(indicators, written[0])
    summary: dict[str, Any] = {"indicator_rows": len(indicators)}
    if ctx.config.inputs.survey is not None:
        coded = pd.read_csv(ctx.path(CODED_SURVEY), dtype=str, keep_default_na=False)
        table, correlations = crossref(
            coded, indicators, ctx.codebook().wres_links(), k=ctx.config.anonymise.k
        )
        write_table(table, ctx.path("shareable/wres/themes_by_wres.csv"))
        write_table(correlations, ctx.path("shareable/wres/themes_wres_correlations.csv"))
        written += [
            ctx.path("shareable/wres/themes_by_wres.csv"),
            ctx.path("shareable/wres/themes_wres_correlations.csv"),
        ]
        written += write_crossref_charts(
            table,
            correlations,
            ctx.path("shareable/wres/charts"),
            {c.id: c.label for c in ctx.codebook().codes},
        )
        summary["pairs"] = len(correlations)
    ctx.echo(
        f"    {len(indicators)} indicator rows; {summary.get('pairs', 0)} theme-indicator pairs"
    )
    return written, summary


# -- quotes ------------------------------------------------------------------------------
def _quotes_inputs(config: StudyConfig, folder: Path) -> dict[str, Path | None]:
    return {"segments": folder / CODED_SEGMENTS, "codebook": config.coding.codebook}


def _quotes_settings(config: StudyConfig) -> dict[str, Any]:
    return {
        "quotes": config.quotes.model_dump(mode="json"),
        "k": config.anonymise.k,
        "embedding_model": config.coding.embedding_model,
    }


def _quotes(ctx: StageContext) -> tuple[list[Path], dict[str, Any]]:
    from lived_experience.quotes import build_quote_bank, write_csv, write_docx, write_markdown

    segments = pd.read_csv(ctx.path(CODED_SEGMENTS), dtype=str, keep_default_na=False)
    for column in ("start", "end"):
        segments[column] = segments[column].astype(int)
    segments["score"] = segments["score"].astype(float)
    codebook = ctx.codebook()
    bank = build_quote_bank(
        segments,
        codebook,
        ctx.embedder(),
        per_code=ctx.config.quotes.per_code,
        anonymiser=ctx.anonymiser(),
        k=ctx.config.anonymise.k,
        diversity=ctx.config.quotes.diversity,
        balance=ctx.config.quotes.balance,
        placeholders=ctx.config.quotes.placeholders,
    )
    written = [
        ctx.path("shareable/quotes/quote_bank.docx"),
        ctx.path("shareable/quotes/quote_bank.md"),
        ctx.path("shareable/quotes/quote_bank.csv"),
    ]
    write_docx(
        bank, codebook, written[0], paper=ctx.config.quotes.paper, marking=ctx.config.quotes.marking
    )
    write_markdown(bank, codebook, written[1], marking=ctx.config.quotes.marking)
    write_csv(bank, written[2])
    flagged = int((bank.quotes["flags"] != "").sum())
    summary = {"quotes": len(bank.quotes), "flagged": flagged}
    ctx.echo(f"    {len(bank.quotes)} quotes; {flagged} flagged by the safety re-scan")
    return written, summary


# -- report ------------------------------------------------------------------------------
def _report_inputs(config: StudyConfig, folder: Path) -> dict[str, Path | None]:
    return {"shareable": folder / "shareable", "codebook": config.coding.codebook}


def _report_settings(config: StudyConfig) -> dict[str, Any]:
    return {"name": config.name, "description": config.description, "k": config.anonymise.k}


def _report(ctx: StageContext) -> tuple[list[Path], dict[str, Any]]:
    from lived_experience.report import write_report

    path = write_report(ctx.folder, ctx.config, ctx.manifest, ctx.codebook())
    return [path], {"bytes": path.stat().st_size}


STAGES: tuple[Stage, ...] = (
    Stage(
        "ingest",
        "ingest.v1",
        "read and check the inputs",
        _ingest_inputs,
        _ingest_settings,
        _ingest,
    ),
    Stage(
        "anonymise",
        "anonymise.v1",
        "anonymise free text, disclosure control",
        _anonymise_inputs,
        _anonymise_settings,
        _anonymise,
    ),
    Stage("code", "code.v1", "apply the codebook", _code_inputs, _code_settings, _code),
    Stage(
        "topics",
        "topics.v1",
        "emergent topics (BERTopic)",
        _topics_inputs,
        _topics_settings,
        _topics,
    ),
    Stage(
        "wres", "wres.v1", "WRES indicators beside the themes", _wres_inputs, _wres_settings, _wres
    ),
    Stage("quotes", "quotes.v1", "quote bank", _quotes_inputs, _quotes_settings, _quotes),
    Stage("report", "report.v1", "report.html", _report_inputs, _report_settings, _report),
)
