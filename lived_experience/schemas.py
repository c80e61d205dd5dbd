"""The shapes of the frames that pass between stages, checked at each boundary.

The segments table is what ingest produces and every later stage reads: one row per piece of
text (a survey answer, an interview turn) in the original order, with the respondent's
attributes beside it. Checks name the column that is wrong and never print cell contents.
"""

from __future__ import annotations

import re
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


#: A header cell that is a plain number or an e-mail address is a value, not a column name.
_VALUE = re.compile(r"[+-]?\d+(?:[.,]\d+)?|[^\s@]+@[^\s@]+\.[^\s@]+")


def _shape(value: str) -> str:
    """Letters as ``a``, digits as ``9``: "R0003" -> "a9999" (runs of a class kept apart)."""
    return re.sub(r"[^\W\d_]", "a", re.sub(r"\d", "9", value.strip()))


def header_looks_like_data(frame: pd.DataFrame) -> bool:
    """True when the header row looks like one more response (a file without its header, or
    with lines out of order): a plain number or an e-mail address as a column name, or a
    column name with digits shaped like most of the column's values ("R0003" over "R0001",
    "R0002"...). Error messages then do not list the column names, which would quote a
    respondent's answer.

    >>> header_looks_like_data(pd.DataFrame({"R0003": ["R0001", "R0002", "R0004"]}))
    True
    >>> header_looks_like_data(pd.DataFrame({"respondent_id": ["R0001", "R0002", "R0004"]}))
    False
    """
    for position, name in enumerate(map(str, frame.columns)):
        if _VALUE.fullmatch(name.strip()):
            return True
        values = [str(v) for v in frame.iloc[:50, position].tolist() if str(v).strip()]
        if len(values) >= 3 and "9" in _shape(name):  # ids, dates, codes with digits
            same = sum(_shape(v) == _shape(name) for v in values)
            if same >= 0.8 * len(values):
                return True
    return False


def column_names_for_message(frame: pd.DataFrame, listing: str | None = None) -> str:
    """``listing`` (default: the column names) for an error message, unless the header looks
    like a response (:func:`header_looks_like_data`): then a sentence that says so instead."""
    if header_looks_like_data(frame):
        return (
            f"none listed: the first line of the {frame.shape[1]} columns looks like a "
            "response, not a header (a file without its header row?)"
        )
    return listing if listing is not None else ", ".join(map(str, frame.columns))


def require_columns(frame: pd.DataFrame, columns: Sequence[str], where: str) -> None:
    """Raise :class:`MissingColumnError` naming every column of ``columns`` not in ``frame``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        available = column_names_for_message(frame)
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
