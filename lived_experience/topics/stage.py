"""The topics stage's corpus: survey answers and transcript turns as one set of documents.

The entry point is :func:`~lived_experience.topics.model_topics` (the command line and the
study pipeline both call it); :func:`study_documents` assembles what a study feeds it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lived_experience.errors import ConfigError
from lived_experience.topics.corpus import documents_of

#: attribute columns a study's topics are broken down by, where present
STUDY_GROUP_COLUMNS = ("staff_group", "org_code")


def study_documents(
    survey: pd.DataFrame | None,
    text_columns: Sequence[str] = (),
    id_column: str | None = None,
    transcripts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One document per survey answer (``document`` = ``id:question``) and per transcript
    turn (``document`` = its segment id), with ``source`` saying which, modelled on ``text``.
    """
    frames = []
    if survey is not None:
        if id_column is None:
            raise ConfigError("a survey needs its id column. Fix: name the id column.")
        answers = documents_of(survey, text_columns, id_column)
        answers = answers.drop(columns=["is_answer"]).rename(columns={"id": id_column})
        answers["document"] = answers[id_column] + ":" + answers["field"]
        frames.append(answers.rename(columns={"field": "question"}).assign(source="survey"))
    if transcripts is not None:
        turns = transcripts.drop(columns=["field"], errors="ignore")
        turns = turns.assign(document=turns["segment_id"], source="transcripts")
        frames.append(turns)
    return pd.concat(frames, ignore_index=True)


def study_group_columns(documents: pd.DataFrame, group_column: str | None) -> list[str]:
    """``source``, the study's group column, then staff group and organisation, if present."""
    return [c for c in ("source", group_column or "") if c and c in documents.columns] + [
        c for c in STUDY_GROUP_COLUMNS if c in documents.columns
    ]
