"""Attributions that describe without identifying: every description shared by >= k people.

"Ethnic minority nurse or midwife" is used only if at least k respondents in the data fit it;
otherwise the description is generalised step by step ("Ethnic minority clinical staff",
"Ethnic minority member of staff", "Member of NHS staff") until it is.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from lived_experience.anonymise.disclosure import clinical_group

STAFF_GROUP_WORDS = {
    "Registered Nurses and Midwives": "nurse or midwife",
    "Medical and Dental": "doctor",
    "Allied Health Professionals": "allied health professional",
    "Additional Clinical Services": "clinical support worker",
    "Admin and Clerical": "member of administrative staff",
    "Estates and Ancillary": "member of estates and ancillary staff",
    "General Management": "manager",
    "Healthcare Scientists": "healthcare scientist",
    # values after disclosure control has generalised the staff group
    "Clinical": "member of clinical staff",
    "Non-clinical": "member of non-clinical staff",
}
GROUP_WORDS = {"Ethnic minority": "Ethnic minority", "White": "White", "Not stated": ""}


def _person(group: str, role: str) -> str:
    prefix = GROUP_WORDS.get(group, "")
    return f"{prefix} {role}".strip().capitalize() if prefix else role.capitalize()


Level = Callable[[pd.Series], tuple[tuple[str, ...], str]]


def _levels(group_column: str, staff_column: str) -> list[Level]:
    return [
        lambda r: (
            (r[group_column], r[staff_column]),
            _person(r[group_column], STAFF_GROUP_WORDS.get(r[staff_column], "member of staff")),
        ),
        lambda r: (
            (r[group_column], clinical_group(r[staff_column])),
            _person(r[group_column], f"{clinical_group(r[staff_column]).lower()} staff"),
        ),
        lambda r: ((r[group_column],), _person(r[group_column], "member of staff")),
        lambda r: ((), "Member of NHS staff"),
    ]


def k_safe_attributions(
    respondents: pd.DataFrame,
    k: int = 11,
    group_column: str = "ethnic_group",
    staff_column: str = "staff_group",
) -> dict[str, str]:
    """id -> attribution, each shared by at least ``k`` respondents of ``respondents``.

    ``respondents`` has one row per respondent with ``id`` and the attribute columns.
    """
    frame = respondents.fillna("").astype(str)
    for column in (group_column, staff_column):
        if column not in frame.columns:
            frame[column] = ""
    levels = _levels(group_column, staff_column)
    counts = []
    for level in levels:
        keys = frame.apply(lambda r, f=level: f(r)[0], axis=1)
        counts.append(keys.map(keys.value_counts()))
    result = {}
    for position, row in enumerate(frame.itertuples(index=False)):
        series = frame.iloc[position]
        for level, count in zip(levels, counts, strict=True):
            if count.iloc[position] >= k or level is levels[-1]:
                result[str(row.id)] = level(series)[1]
                break
    return result
