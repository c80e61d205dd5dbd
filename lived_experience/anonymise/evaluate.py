"""Measure an anonymiser against gold annotations: recall per entity type and name origin.

Recall is the share of gold identifiers *fully* removed: every non-space character of the
gold span lies inside some detection; a partial removal counts as a leak. Precision is the
share of detections that overlap a gold identifier. The keep rate is the share of protected
research descriptors ("Black nurses", "band 6") that no detection touches.

The report never contains respondent text; :func:`leaks` lists what was missed, with the
text, for a person to look at (treat it as sensitive when the gold comes from real data).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pandas as pd

from lived_experience.anonymise.detection import Detection
from lived_experience.errors import InputFileError


class Detector(Protocol):
    def detect(self, texts: Sequence[str]) -> list[list[Detection]]: ...


@dataclass(frozen=True)
class GoldRecord:
    source: str
    record_id: str
    field: str
    text: str
    entities: tuple[dict[str, object], ...]
    protected: tuple[dict[str, object], ...]


def load_gold(path: str | Path) -> list[GoldRecord]:
    """Read a gold JSONL file (format in ``data/synthetic/README.md``)."""
    path = Path(path)
    if not path.exists():
        raise InputFileError(f"gold file '{path}' does not exist. Fix: check the path.")
    records = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                records.append(
                    GoldRecord(
                        str(raw.get("source", "")),
                        str(raw["record_id"]),
                        str(raw["field"]),
                        raw["text"],
                        tuple(raw.get("entities", ())),
                        tuple(raw.get("protected", ())),
                    )
                )
            except (ValueError, KeyError, TypeError):
                raise InputFileError(
                    f"'{path}' line {number} is not a gold record (needs record_id, field, "
                    "text, entities). Fix: see data/synthetic/README.md for the format."
                ) from None
    if not records:
        raise InputFileError(f"gold file '{path}' has no records.")
    return records


def _covered(text: str, start: int, end: int, detections: Sequence[Detection]) -> bool:
    for i in range(start, end):
        if text[i].isspace():
            continue
        if not any(d.start <= i < d.end for d in detections):
            return False
    return True


def _touched(start: int, end: int, detections: Sequence[Detection]) -> bool:
    return any(d.start < end and start < d.end for d in detections)


def score_detections(
    gold: Sequence[GoldRecord], detections: Sequence[Sequence[Detection]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (metrics table, one row per gold span with ``removed``)."""
    span_rows = []
    detection_rows = []
    for record, found in zip(gold, detections, strict=True):
        for entity in record.entities:
            start, end = int(entity["start"]), int(entity["end"])  # type: ignore[call-overload]
            span_rows.append(
                {
                    "kind": "identifier",
                    "source": record.source,
                    "record_id": record.record_id,
                    "field": record.field,
                    "start": start,
                    "end": end,
                    "entity_type": entity["entity_type"],
                    "origin": entity.get("origin", ""),
                    "removed": _covered(record.text, start, end, found),
                }
            )
        for kept in record.protected:
            start, end = int(kept["start"]), int(kept["end"])  # type: ignore[call-overload]
            span_rows.append(
                {
                    "kind": "protected",
                    "source": record.source,
                    "record_id": record.record_id,
                    "field": record.field,
                    "start": start,
                    "end": end,
                    "entity_type": kept.get("entity_type", "DESCRIPTOR"),
                    "origin": "",
                    "removed": _touched(start, end, found),
                }
            )
        for detection in found:
            hit = any(
                int(e["start"]) < detection.end and detection.start < int(e["end"])  # type: ignore[call-overload]
                for e in record.entities
            )
            detection_rows.append({"entity_type": detection.entity_type, "correct": hit})
    spans = pd.DataFrame(span_rows)
    predicted = pd.DataFrame(detection_rows, columns=["entity_type", "correct"])
    metrics = []
    identifiers = spans[spans["kind"] == "identifier"]

    def add(group_kind: str, group: str, part: pd.DataFrame, pred: pd.DataFrame | None) -> None:
        row: dict[str, object] = {
            "group_kind": group_kind,
            "group": group,
            "support": len(part),
            "removed": int(part["removed"].sum()),
            "recall": round(part["removed"].mean(), 4) if len(part) else None,
            "detections": None,
            "precision": None,
        }
        if pred is not None:
            row["detections"] = len(pred)
            row["precision"] = round(pred["correct"].mean(), 4) if len(pred) else None
        metrics.append(row)

    add("overall", "all identifiers", identifiers, predicted)
    for entity_type, part in identifiers.groupby("entity_type", sort=True):
        add(
            "entity_type",
            str(entity_type),
            part,
            predicted[predicted["entity_type"] == entity_type],
        )
    people = identifiers[identifiers["entity_type"] == "PERSON"]
    for origin, part in people.groupby("origin", sort=True):
        add("name_origin", str(origin), part, None)
    protected = spans[spans["kind"] == "protected"]
    if len(protected):
        metrics.append(
            {
                "group_kind": "keep_rate",
                "group": "protected descriptors",
                "support": len(protected),
                "removed": int(protected["removed"].sum()),
                "recall": round(1 - protected["removed"].mean(), 4),
                "detections": None,
                "precision": None,
            }
        )
    return pd.DataFrame(metrics), spans


def evaluate_anonymiser(
    gold: Sequence[GoldRecord] | str | Path, detector: Detector
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run ``detector`` on the gold texts; return (metrics, per-span results).

    In the metrics, ``recall`` is the removal rate for identifier rows and the keep rate for
    the ``keep_rate`` row.
    """
    records = load_gold(gold) if isinstance(gold, (str, Path)) else list(gold)
    detections = detector.detect([r.text for r in records])
    return score_detections(records, detections)


class PlainPresidio:
    """Baseline: Presidio's ``AnalyzerEngine`` defaults over the same spaCy pipeline, one
    document per call (how Presidio is usually used)."""

    def __init__(self, nlp: object) -> None:
        os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
        from presidio_analyzer import AnalyzerEngine

        from lived_experience.anonymise.engine import _preloaded_engine

        engine = _preloaded_engine(nlp)  # type: ignore[arg-type]
        engine.ner_model_configuration.labels_to_ignore = []  # type: ignore[attr-defined]
        self.analyzer = AnalyzerEngine(nlp_engine=engine)  # type: ignore[arg-type]

    def detect(self, texts: Sequence[str]) -> list[list[Detection]]:
        out = []
        for text in texts:
            results = self.analyzer.analyze(text, language="en") if text.strip() else []
            out.append(
                [
                    Detection(r.start, r.end, r.entity_type, float(r.score), "presidio")
                    for r in results
                ]
            )
        return out


def compare_with_plain_presidio(
    records: Sequence[GoldRecord],
    anonymiser: Detector,
    spacy_model: str | None = None,
    baseline: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Metrics of ``anonymiser`` (``system`` = lived_experience) and, with ``baseline``, of
    plain Presidio on the same spaCy model in the same run; and the anonymiser's spans."""
    from lived_experience.models import load_spacy

    metrics, spans = evaluate_anonymiser(records, anonymiser)
    metrics.insert(0, "system", "lived_experience")
    tables = [metrics]
    if baseline:
        base, _ = evaluate_anonymiser(records, PlainPresidio(load_spacy(spacy_model)))
        base.insert(0, "system", "plain_presidio")
        tables.append(base)
    return pd.concat(tables, ignore_index=True), spans


def leaked_spans(records: Sequence[GoldRecord], spans: pd.DataFrame) -> pd.DataFrame:
    """SENSITIVE: the gold identifier spans the anonymiser left in the text, with their value."""
    by_key = {(r.record_id, r.field): r.text for r in records}
    missed = spans[(spans["kind"] == "identifier") & ~spans["removed"]].copy()
    missed["value"] = [by_key[(r.record_id, r.field)][r.start : r.end] for r in missed.itertuples()]
    return missed
