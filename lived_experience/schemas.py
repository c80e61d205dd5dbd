"""The shapes of the frames that pass between stages, checked at each boundary.

The segments table is what ingest produces and every later stage reads: one row per piece of
text (a survey answer, an interview turn) in the original order, with the respondent's
attributes beside it. Checks name the column that is wrong and never print cell contents.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lived_experience.errors import LivedExperienceError, MissingColumnError

#: The fixed columns of a segments table, in order; respondent attributes follow them.
SEGMENT_COLUMNS: tuple[str, ...] = (
    "document_id",  # respondent id, or transcript file stem
    "segment_id",  # unique: "<respondent>:<column>" or "<transcript>-<turn:04d>"
    "source",  # file name the segment came from
    "field",  # survey column, or "text" for transcripts
    "speaker",  # speaker label where known ("" for surveys)
    "speaker_role",  # "respondent", "interviewer" or "note"
    "start_time",  # "HH:MM:SS.mmm" for timed transcripts, else ""
    "end_time",
    "text",
)

SPEAKER_ROLES = ("respondent", "interviewer", "note")


class SchemaError(LivedExperienceError):
    """A frame handed between stages does not have the expected shape."""

    code = "LE010"


def require_columns(frame: pd.DataFrame, columns: Sequence[str], where: str) -> None:
    """Raise :class:`MissingColumnError` naming every column of ``columns`` not in ``frame``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        available = ", ".join(map(str, frame.columns))
        raise MissingColumnError(
            f"{where}: column(s) {', '.join(missing)} not found. Available columns: "
            f"{available}. Fix: pass the right column name (names are case-sensitive)."
        )


def validate_segments(frame: pd.DataFrame) -> pd.DataFrame:
    """Check that ``frame`` is a segments table; return it unchanged.

    Raises
    ------
    SchemaError
        If a fixed column is missing, segment ids repeat, or a role is unknown.
    """
    missing = [c for c in SEGMENT_COLUMNS if c not in frame.columns]
    if missing:
        raise SchemaError(
            f"segments table lacks column(s) {', '.join(missing)}. Fix: build it with "
            "lived_experience.ingest (read_segments, survey_to_segments or read_transcripts)."
        )
    duplicated = frame["segment_id"].duplicated()
    if duplicated.any():
        first = frame.loc[duplicated, "segment_id"].iloc[0]
        raise SchemaError(
            f"segments table has repeated segment_id '{first}'. Fix: make document ids unique."
        )
    bad_roles = set(frame["speaker_role"]) - set(SPEAKER_ROLES)
    if bad_roles:
        raise SchemaError(
            f"speaker_role must be one of {', '.join(SPEAKER_ROLES)}; found "
            f"{', '.join(sorted(map(str, bad_roles)))}."
        )
    return frame
