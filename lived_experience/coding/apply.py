"""Code a survey export or segments table: sentence-level assignments rolled up to each row.

``code_frame`` returns the input rows (same order, same columns) plus ``codes`` (code ids
joined with ``;``, empty when none) and one ``score:<code_id>`` column per code (the highest
sentence score for that code in the row), and a segments table with the evidence for every
assignment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from lived_experience.coding.coders import CodingResult
from lived_experience.coding.segments import split_sentences
from lived_experience.schemas import require_columns

SEGMENT_ASSIGNMENT_COLUMNS = (
    "id",
    "field",
    "sentence_id",
    "start",
    "end",
    "sentence",
    "code",
    "score",
    "evidence",
)


class Coder(Protocol):
    """What ``code_frame`` needs of a coder (``register_coder`` adds one).

    ``code`` judges each sentence on its own: the same sentence always gets the same scores,
    codes and evidence, whatever else is in the batch, so ``code_frame`` passes each distinct
    sentence once."""

    code_ids: list[str]
    name: str

    def code(self, sentences: Sequence[str]) -> CodingResult: ...


@dataclass
class CodedFrame:
    frame: pd.DataFrame
    segments: pd.DataFrame
    sentences: pd.DataFrame
    result: CodingResult

    def rows_per_code(self) -> dict[str, int]:
        """How many rows got each code (codes no row got are absent)."""
        if not len(self.segments):
            return {}
        counts = self.segments.groupby("code")["id"].nunique()
        return {str(code): int(n) for code, n in counts.items()}


def sentences_of(frame: pd.DataFrame, text_columns: Sequence[str], id_column: str) -> pd.DataFrame:
    """Every codeable sentence of ``text_columns``, with the row id and field it came from."""
    require_columns(frame, [id_column, *text_columns], "coding")
    parts = []
    for column in text_columns:
        segment = pd.DataFrame(
            {
                "segment_id": frame[id_column].astype(str) + "\x1f" + column,
                "text": frame[column].fillna("").astype(str).to_numpy(),
            }
        )
        if "speaker_role" in frame.columns:
            segment["speaker_role"] = frame["speaker_role"].to_numpy()
        parts.append(split_sentences(segment))
    sentences = pd.concat(parts, ignore_index=True)
    split = sentences["segment_id"].str.split("\x1f", n=1, expand=True)
    sentences.insert(0, "id", split[0] if len(sentences) else [])
    sentences.insert(1, "field", split[1] if len(sentences) else [])
    return sentences.drop(columns=["segment_id"])


def _with_context(
    segments: pd.DataFrame, frame: pd.DataFrame, text_columns: Sequence[str], id_column: str
) -> pd.DataFrame:
    """Add the whole answer (``answer``) and the respondent's attributes to each assignment,
    so quotes can be widened to full sentences and attributed without the original file."""
    ids = frame[id_column].astype(str)
    answers = {
        (i, column): str(v)
        for column in text_columns
        for i, v in zip(ids, frame[column].fillna(""), strict=True)
    }
    out = segments.copy()
    out["answer"] = [answers.get((i, f), "") for i, f in zip(out["id"], out["field"], strict=True)]
    attributes = [
        c
        for c in frame.columns
        if c != id_column and c not in text_columns and c not in out.columns
    ]
    if attributes:
        lookup = frame.assign(_id=ids).drop_duplicates("_id").set_index("_id")[attributes]
        out = out.join(lookup, on="id")
    return out


def _code_distinct(coder: Coder, sentences: list[str]) -> CodingResult:
    """``coder.code(sentences)``, judging each distinct sentence once ("Thank you.", "Staffing
    levels.", a copied template line): a coder judges a sentence on its own, so a repeat gets
    the same scores, codes and evidence as its first occurrence."""
    codes, distinct = pd.factorize(pd.Series(sentences, dtype=object), sort=False)
    if len(distinct) == len(sentences):
        return coder.code(sentences)
    result = coder.code([str(s) for s in distinct])
    return CodingResult(
        result.code_ids,
        result.scores[codes],
        result.assigned[codes],
        [list(result.evidence[i]) for i in codes],
    )


def code_frame(
    frame: pd.DataFrame, text_columns: Sequence[str], id_column: str, coder: Coder
) -> CodedFrame:
    """Code ``text_columns`` of ``frame`` sentence by sentence and roll up to each row."""
    if frame[id_column].astype(str).duplicated().any():
        from lived_experience.errors import DuplicateIdError

        raise DuplicateIdError(f"coding: ids in '{id_column}' repeat. Fix: use a unique id column.")
    sentences = sentences_of(frame, text_columns, id_column)
    if hasattr(coder, "code_in_context"):
        # a coder that learned from whole hand-coded answers judges whole answers
        key = sentences["id"] + "\x1f" + sentences["field"]
        units, owners = np.unique(key.to_numpy(dtype=str), return_inverse=True)
        texts = {
            (i, column): str(v)
            for column in text_columns
            for i, v in zip(frame[id_column].astype(str), frame[column].fillna(""), strict=True)
        }
        answers = [texts[tuple(u.split("\x1f", 1))] for u in units]  # type: ignore[index]
        result = coder.code_in_context(sentences["sentence"].tolist(), answers, owners)
    else:
        result = _code_distinct(coder, sentences["sentence"].tolist())
    code_ids = result.code_ids
    rows, cols = np.nonzero(result.assigned)
    segments = pd.DataFrame(
        {
            "id": sentences["id"].to_numpy()[rows],
            "field": sentences["field"].to_numpy()[rows],
            "sentence_id": sentences["sentence_id"].to_numpy()[rows],
            "start": sentences["start"].to_numpy()[rows],
            "end": sentences["end"].to_numpy()[rows],
            "sentence": sentences["sentence"].to_numpy()[rows],
            "code": [code_ids[c] for c in cols],
            "score": np.round(result.scores[rows, cols], 4),
            "evidence": [result.evidence[r][c] for r, c in zip(rows, cols, strict=True)],
        },
        columns=list(SEGMENT_ASSIGNMENT_COLUMNS),
    )
    segments = _with_context(segments, frame, text_columns, id_column)
    out = frame.copy()
    ids = frame[id_column].astype(str)
    score_frame = pd.DataFrame(result.scores, columns=code_ids)
    score_frame["id"] = sentences["id"].to_numpy()
    best = score_frame.groupby("id")[code_ids].max()
    assigned_frame = pd.DataFrame(result.assigned, columns=code_ids)
    assigned_frame["id"] = sentences["id"].to_numpy()
    any_assigned = assigned_frame.groupby("id")[code_ids].any()
    rolled = any_assigned.reindex(ids).fillna(False).to_numpy(dtype=bool)
    out["codes"] = [
        ";".join(c for c, on in zip(code_ids, row, strict=True) if on) for row in rolled
    ]
    scores = best.reindex(ids).fillna(0.0).to_numpy()
    for i, code in enumerate(code_ids):
        out[f"score:{code}"] = np.round(scores[:, i], 4)
    return CodedFrame(out, segments, sentences, result)
