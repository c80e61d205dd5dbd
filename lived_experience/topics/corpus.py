"""The answers a topic model reads: one document per non-empty answer (or respondent turn)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lived_experience.ingest.answers import EMPTY_ANSWERS, is_answer
from lived_experience.schemas import require_columns

__all__ = ["DOCUMENT_COLUMNS", "EMPTY_ANSWERS", "documents_of", "is_answer"]

DOCUMENT_COLUMNS = ("id", "field", "text")


def documents_of(frame: pd.DataFrame, text_columns: Sequence[str], id_column: str) -> pd.DataFrame:
    """Every (row, text column) as a document, in row order then column order, with the
    row's other columns beside it; ``is_answer`` says which ones are modelled. Interviewer
    turns (``speaker_role == "interviewer"``) are never answers."""
    require_columns(frame, [id_column, *text_columns], "topics")
    attributes = [c for c in frame.columns if c != id_column and c not in text_columns]
    parts = []
    for order, column in enumerate(text_columns):
        part = frame[attributes].copy()
        part.insert(0, "id", frame[id_column].astype(str).to_numpy())
        part.insert(1, "field", column)
        part.insert(2, "text", frame[column].to_numpy())
        part["_row"] = range(len(frame))
        part["_column"] = order
        parts.append(part)
    documents = pd.concat(parts, ignore_index=True).sort_values(["_row", "_column"], kind="stable")
    documents = documents.drop(columns=["_row", "_column"]).reset_index(drop=True)
    answer = documents["text"].map(is_answer)
    if "speaker_role" in documents.columns:
        answer &= documents["speaker_role"].astype(str) != "interviewer"
    documents["is_answer"] = answer.astype(bool)
    return documents
