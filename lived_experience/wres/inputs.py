"""The three WRES input files, read and validated without guessing.

One CSV per source, one row per organisation and year (``docs/wres.md`` documents each
column and the published definition it follows). Validation names the file, row and column
of anything missing, non-numeric, negative or impossible (appointed > shortlisted) and stops.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from lived_experience.errors import LivedExperienceError
from lived_experience.ingest import read_survey
from lived_experience.schemas import require_columns

RETURN_COUNTS = (
    "headcount_white",
    "headcount_bme",
    "headcount_unknown",
    "shortlisted_white",
    "shortlisted_bme",
    "appointed_white",
    "appointed_bme",
    "disciplinary_white",
    "disciplinary_bme",
    "training_white",
    "training_bme",
    "board_voting_white",
    "board_voting_bme",
    "board_voting_unknown",
    "board_exec_white",
    "board_exec_bme",
    "board_exec_unknown",
)
RETURN_COLUMNS = ("org_code", "org_name", "year", *RETURN_COUNTS)
BAND_COLUMNS = ("org_code", "year", "staff_group", "band", "ethnicity", "headcount")
SURVEY_COLUMNS = ("org_code", "year", "indicator", "ethnicity", "respondents", "positive")
STAFF_GROUPS = ("non_clinical", "clinical_non_medical", "medical_dental")
BANDS = (
    "1",
    "2",
    "3",
    "4",
    "5",
    "6",
    "7",
    "8a",
    "8b",
    "8c",
    "8d",
    "9",
    "VSM",
    "consultant",
    "non_consultant_career_grade",
    "trainee",
)
#: subsets that may not exceed their whole: (part, whole)
IMPOSSIBLE = (
    ("appointed_white", "shortlisted_white"),
    ("appointed_bme", "shortlisted_bme"),
    ("disciplinary_white", "headcount_white"),
    ("disciplinary_bme", "headcount_bme"),
    ("training_white", "headcount_white"),
    ("training_bme", "headcount_bme"),
)


class WresInputError(LivedExperienceError):
    """A WRES input file is incomplete or impossible."""

    code = "LE020"


#: The largest count accepted (far above any NHS workforce): keeps int64 arithmetic exact.
MAX_COUNT = 10**12
_WHOLE = re.compile(r"\+?(\d+)(?:\.0*)?")


def _count_problem(text: str) -> str | None:
    """Why ``text`` is not a count of people (0 or more, whole, not absurdly large)."""
    value = text.strip()
    if not value:
        return "missing"
    match = _WHOLE.fullmatch(value)
    if match is None:
        return "negative" if value.startswith("-") else "not a whole number"
    if len(match.group(1)) > 13 or int(match.group(1)) > MAX_COUNT:
        return f"larger than {MAX_COUNT:,}, which cannot be a count of staff"
    return None


def _numbers(frame: pd.DataFrame, columns: Sequence[str], path: Path) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        texts = out[column].astype(str)
        problems = texts.map(_count_problem)
        bad = problems.notna()
        if bad.any():
            index = int(bad.to_numpy().argmax())
            row = index + 2
            raise WresInputError(
                f"'{path.name}' line {row}, column '{column}': {problems.iloc[index]}. Fix: enter "
                "a whole number of people (0 or more); a WRES return never leaves a count blank."
            )
        out[column] = texts.map(lambda t: int(_WHOLE.fullmatch(t.strip()).group(1))).astype(  # type: ignore[union-attr]
            "int64"
        )
    return out


def _year(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    return _numbers(frame, ["year"], path)


def _unique(frame: pd.DataFrame, keys: Sequence[str], path: Path) -> None:
    duplicated = frame.duplicated(list(keys))
    if duplicated.any():
        row = int(duplicated.to_numpy().argmax()) + 2
        raise WresInputError(
            f"'{path.name}' line {row}: the same {', '.join(keys)} appears twice. Fix: keep one "
            "row per combination."
        )


def read_returns(path: str | Path) -> pd.DataFrame:
    """Read ``returns.csv`` (one row per organisation and year)."""
    path = Path(path)
    frame = read_survey(path)
    require_columns(frame, RETURN_COLUMNS, f"'{path.name}'")
    frame = _numbers(_year(frame, path), RETURN_COUNTS, path)
    for part, whole in IMPOSSIBLE:
        bad = frame[part] > frame[whole]
        if bad.any():
            row = int(bad.to_numpy().argmax()) + 2
            raise WresInputError(
                f"'{path.name}' line {row}: '{part}' is larger than '{whole}', which is "
                "impossible. Fix: check both figures against the source return."
            )
    _unique(frame, ["org_code", "year"], path)
    return frame


def read_bands(path: str | Path) -> pd.DataFrame:
    """Read ``bands.csv`` (indicator 1: headcount by staff group, band and ethnicity)."""
    path = Path(path)
    frame = read_survey(path)
    require_columns(frame, BAND_COLUMNS, f"'{path.name}'")
    frame = _numbers(_year(frame, path), ["headcount"], path)
    for column, allowed in (
        ("staff_group", STAFF_GROUPS),
        ("band", BANDS),
        ("ethnicity", ("white", "bme", "unknown")),
    ):
        bad = ~frame[column].isin(allowed)
        if bad.any():
            row = int(bad.to_numpy().argmax()) + 2
            raise WresInputError(
                f"'{path.name}' line {row}, column '{column}': not one of "
                f"{', '.join(allowed)}. Fix: use the WRES category names."
            )
    _unique(frame, ["org_code", "year", "staff_group", "band", "ethnicity"], path)
    return frame


def read_staff_survey(path: str | Path) -> pd.DataFrame:
    """Read ``staff_survey.csv`` (indicators 5-8; ``year`` is the year the survey ran)."""
    path = Path(path)
    frame = read_survey(path)
    require_columns(frame, SURVEY_COLUMNS, f"'{path.name}'")
    frame = _numbers(_year(frame, path), ["indicator", "respondents", "positive"], path)
    checks = (
        (~frame["indicator"].isin([5, 6, 7, 8]), "indicator", "must be 5, 6, 7 or 8"),
        (~frame["ethnicity"].isin(["white", "bme"]), "ethnicity", "must be white or bme"),
        (frame["positive"] > frame["respondents"], "positive", "is larger than respondents"),
    )
    for bad, column, problem in checks:
        if bad.any():
            row = int(bad.to_numpy().argmax()) + 2
            raise WresInputError(
                f"'{path.name}' line {row}, column '{column}': {problem}. Fix: correct the row."
            )
    _unique(frame, ["org_code", "year", "indicator", "ethnicity"], path)
    return frame
