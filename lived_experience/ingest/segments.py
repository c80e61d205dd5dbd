"""Turn any input into the segments table (see :mod:`lived_experience.schemas`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from lived_experience.errors import ConfigError
from lived_experience.ingest.survey import read_survey
from lived_experience.ingest.transcripts import read_transcripts
from lived_experience.schemas import SEGMENT_COLUMNS, require_columns, validate_segments


def survey_to_segments(
    frame: pd.DataFrame,
    id_column: str,
    text_columns: Sequence[str],
    attribute_columns: Sequence[str] | None = None,
    source: str | None = None,
) -> pd.DataFrame:
    """One segment per respondent and free-text question, in row order then column order.

    Parameters
    ----------
    frame:
        A survey as :func:`~lived_experience.ingest.read_survey` returns it.
    id_column, text_columns:
        The respondent id and the free-text questions.
    attribute_columns:
        Respondent attributes to carry beside each segment; default: every other column.
    """
    if not text_columns:
        raise ConfigError("no text columns given. Fix: name at least one free-text column.")
    require_columns(frame, [id_column, *text_columns], "survey")
    if attribute_columns is None:
        attribute_columns = [c for c in frame.columns if c != id_column and c not in text_columns]
    require_columns(frame, attribute_columns, "survey")
    clashes = [c for c in attribute_columns if c in SEGMENT_COLUMNS]
    source = source or str(frame.attrs.get("source", ""))
    parts = []
    for order, column in enumerate(text_columns):
        part = pd.DataFrame(
            {
                "document_id": frame[id_column].astype(str).to_numpy(),
                "segment_id": (frame[id_column].astype(str) + ":" + column).to_numpy(),
                "source": source,
                "field": column,
                "speaker": "",
                "speaker_role": "respondent",
                "start_time": "",
                "end_time": "",
                "text": frame[column].astype(str).to_numpy(),
                "_row": range(len(frame)),
                "_col": order,
            }
        )
        for attribute in attribute_columns:
            name = f"attr_{attribute}" if attribute in clashes else attribute
            part[name] = frame[attribute].to_numpy()
        parts.append(part)
    segments = (
        pd.concat(parts, ignore_index=True)
        .sort_values(["_row", "_col"], kind="stable")
        .drop(columns=["_row", "_col"])
        .reset_index(drop=True)
    )
    return validate_segments(segments)


def read_segments(
    path: str | Path,
    id_column: str | None = None,
    text_columns: Sequence[str] = (),
    attribute_columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Read a survey export or a transcript folder into the segments table.

    A folder is read as transcripts; a file as a survey export, which then needs
    ``id_column`` and ``text_columns``.
    """
    path = Path(path)
    if path.is_dir():
        return validate_segments(read_transcripts(path))
    if not id_column or not text_columns:
        raise ConfigError(
            f"'{path}' is a survey export: name its id column and free-text column(s). Fix: "
            "pass --id-column and --text-column."
        )
    frame = read_survey(path, id_column=id_column, text_columns=text_columns)
    return survey_to_segments(frame, id_column, text_columns, attribute_columns)
