"""Topics over a survey export or transcripts, as tables a researcher can use.

:func:`model_topics` fits a :class:`TopicModeler` on the answers of a frame and returns the
topic table (label, size, keywords, nearest codes, representative segments), the assignment of
every answer, and topics by group and by wave with small counts suppressed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lived_experience.codebook import Codebook
from lived_experience.coding.embeddings import Embedder
from lived_experience.topics.codes import nearest_codes
from lived_experience.topics.corpus import documents_of
from lived_experience.topics.groups import (
    find_wave_column,
    topics_by_group,
    wave_values,
)
from lived_experience.topics.model import OUTLIER, TopicModeler, canonical_order
from lived_experience.topics.settings import TopicSettings

if TYPE_CHECKING:  # pragma: no cover
    from lived_experience.anonymise import Anonymiser

ASSIGNMENT_COLUMNS = ("id", "field", "topic", "label", "similarity")
#: group columns used when present and none are named
DEFAULT_GROUPS = ("ethnic_group", "ethnicity", "staff_group", "org_code", "organisation")
REPRESENTATIVE_CHARS = 400


@dataclass
class TopicResult:
    """Everything a topic run produces (frames are new; the input is never changed)."""

    modeler: TopicModeler
    topics: pd.DataFrame
    assignments: pd.DataFrame
    by_group: pd.DataFrame
    by_wave: pd.DataFrame
    wave_column: str | None
    outliers_before_reduction: float

    @property
    def unassigned_share(self) -> float:
        """Share of non-empty answers left unassigned (-1)."""
        topics = self.assignments["topic"].dropna()
        return float((topics == OUTLIER).mean()) if len(topics) else 0.0


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= REPRESENTATIVE_CHARS else text[: REPRESENTATIVE_CHARS - 1] + "…"


def representative_segments(
    texts: Sequence[str], topics: np.ndarray, similarity: np.ndarray, n: int
) -> dict[int, list[str]]:
    """The ``n`` distinct answers nearest each topic's centroid (ties by the text, so the
    choice does not depend on row order)."""
    frame = pd.DataFrame({"text": list(texts), "topic": topics, "similarity": similarity})
    frame["text"] = frame["text"].astype(str)
    frame = frame.sort_values(
        ["topic", "similarity", "text"], ascending=[True, False, True], kind="stable"
    )
    chosen: dict[int, list[str]] = {}
    for topic, group in frame.groupby("topic", sort=True):
        seen: list[str] = []
        for text in group["text"]:
            key = " ".join(str(text).lower().split())
            if key not in {" ".join(s.lower().split()) for s in seen}:
                seen.append(str(text))
            if len(seen) == n:
                break
        chosen[int(topic)] = seen
    return chosen


def _embed_in_canonical_order(embedder: Embedder, texts: list[str]) -> np.ndarray:
    """Embed in the canonical order, so a fresh cache gets the same batches (and so the same
    vectors, to the last bit) however the rows were sorted."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    order = canonical_order(texts)
    vectors = embedder.embed([texts[i] for i in order])
    embeddings = np.empty_like(vectors)
    embeddings[order] = vectors
    return embeddings


def model_topics(
    frame: pd.DataFrame,
    text_columns: Sequence[str],
    id_column: str,
    settings: TopicSettings | None = None,
    embedder: Embedder | None = None,
    codebook: Codebook | None = None,
    group_columns: Sequence[str] | None = None,
    wave_column: str | None = None,
    anonymiser: Anonymiser | None = None,
) -> TopicResult:
    """Fit topics on the answers in ``text_columns`` of ``frame`` (anonymised text).

    Parameters
    ----------
    group_columns:
        Columns to break topics down by; ``None`` takes those of :data:`DEFAULT_GROUPS`
        that exist.
    wave_column:
        Survey wave or date column; ``None`` looks for one (``survey_year``, ``wave``,
        ``date`` ...), ``""`` turns the breakdown off.
    anonymiser:
        When given, representative segments are scanned once more before they are shown.
    """
    settings = settings or TopicSettings()
    embedder = embedder or Embedder()
    documents = documents_of(frame, text_columns, id_column)
    answers = documents[documents["is_answer"]]
    texts = answers["text"].astype(str).tolist()
    embeddings = _embed_in_canonical_order(embedder, texts)
    modeler = TopicModeler(settings, embedder, codebook).fit(texts, embeddings)
    fitted = modeler.topics_
    before = float(getattr(modeler, "outliers_before_reduction_", 0.0))
    vectors = {t: modeler.topic_vectors_[i] for i, t in enumerate(modeler.topic_ids_)}
    similarity = np.array(
        [float(embeddings[i] @ vectors[t]) if t != OUTLIER else 0.0 for i, t in enumerate(fitted)]
    )
    labels = modeler.labels()
    assignments = documents.drop(columns=["text", "is_answer"]).copy()
    topic_column = pd.Series(pd.NA, index=documents.index, dtype="Int64")
    topic_column[answers.index] = fitted
    assignments.insert(2, "topic", topic_column)
    assignments.insert(3, "label", assignments["topic"].map(labels).fillna(""))
    similarity_column = pd.Series(np.nan, index=documents.index)
    similarity_column[answers.index] = np.round(similarity, 4)
    assignments.insert(4, "similarity", similarity_column)

    representatives = representative_segments(
        texts, fitted, similarity, settings.representative_segments
    )
    if anonymiser is not None:
        flat = [text for topic in sorted(representatives) for text in representatives[topic]]
        rescanned = iter(text for text, _ in anonymiser.anonymise_texts(flat))
        representatives = {
            topic: [next(rescanned) for _ in representatives[topic]]
            for topic in sorted(representatives)
        }
    table = _topic_table(modeler, fitted, labels, representatives, settings)
    if codebook is not None and modeler.topic_ids_:
        mapped = nearest_codes(
            texts,
            fitted,
            codebook,
            embedder,
            settings.new_code_threshold,
        )
        table = table.merge(mapped, on="topic", how="left")
        table["candidate_new_code"] = table["candidate_new_code"].astype("boolean")
    groups = [c for c in (group_columns if group_columns is not None else DEFAULT_GROUPS)]
    groups = [c for c in groups if c in assignments.columns]
    by_group = topics_by_group(assignments, groups, labels, settings.k)
    if wave_column is None:
        wave_column = find_wave_column([c for c in frame.columns if c != id_column])
    if wave_column:
        waves = assignments.assign(wave=wave_values(assignments[wave_column]))
        by_wave = topics_by_group(waves, ["wave"], labels, settings.k)
        by_wave = by_wave.drop(columns=["group_column"]).rename(columns={"group": "wave"})
    else:
        by_wave = pd.DataFrame(columns=["wave", "topic", "label", "answers", "share", "suppressed"])
    return TopicResult(modeler, table, assignments, by_group, by_wave, wave_column or None, before)


def _topic_table(
    modeler: TopicModeler,
    fitted: np.ndarray,
    labels: dict[int, str],
    representatives: dict[int, list[str]],
    settings: TopicSettings,
) -> pd.DataFrame:
    total = len(fitted)
    ids = list(modeler.topic_ids_) + ([OUTLIER] if (fitted == OUTLIER).any() else [])
    rows = []
    for topic in ids:
        size = int((fitted == topic).sum())
        row: dict[str, object] = {
            "topic": topic,
            "label": labels[topic],
            "size": size,
            "share": round(size / total, 4) if total else 0.0,
            "keywords": "; ".join(modeler.keywords_.get(topic, [])),
        }
        chosen = representatives.get(topic, []) if topic != OUTLIER else []
        for i in range(settings.representative_segments):
            row[f"representative_{i + 1}"] = _clip(chosen[i]) if i < len(chosen) else ""
        rows.append(row)
    return pd.DataFrame(rows)
