"""The answers a topic model reads: one document per non-empty answer (or respondent turn)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from lived_experience.schemas import require_columns

DOCUMENT_COLUMNS = ("id", "field", "text")
_HAS_WORDS = re.compile(r"[^\W\d_]{2}")
#: placeholder answers; "did not answer" is what one NHS FFT export writes for a blank
EMPTY_ANSWERS = frozenset(
    {
        "n/a",
        "na",
        "none",
        "no",
        "nil",
        "no comment",
        "nothing",
        "not applicable",
        "did not answer",
        "not answered",
    }
)


def is_answer(text: object) -> bool:
    """True for text a respondent wrote; False for blanks, dashes and "N/A"-style answers.

    >>> [is_answer(t) for t in ["Parking is awful.", "N/A", " - ", None, "no comment"]]
    [True, False, False, False, False]
    """
    if not isinstance(text, str):
        return False
    stripped = text.strip().strip(".!").lower()
    return bool(_HAS_WORDS.search(stripped)) and stripped not in EMPTY_ANSWERS


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
