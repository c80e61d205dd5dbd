"""Disclosure control for the respondent attributes that travel with the text.

A comment is easy to attribute when its row says "Black African, Band 8c, Estates, 11-15
years" and only one person fits. :func:`small_groups` reports every combination of the
quasi-identifiers shared by fewer than ``k`` respondents (default 11, the NHS Staff Survey's
suppression threshold); :func:`enforce_k_anonymity` generalises the attributes step by step
(ethnicity -> broad group -> white / ethnic minority; band -> band range; ...) and suppresses
what is still too small, reporting every change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from lived_experience.schemas import require_columns

DEFAULT_K = 11
SUPPRESSED = "Suppressed"

Generaliser = Callable[[str], str]


def broad_ethnic_group(value: str) -> str:
    """2011 ONS category -> White / Mixed / Asian / Black / Other / Not stated."""
    v = value.strip().lower()
    if not v or v in {"prefer not to say", "not stated", "unknown"}:
        return "Not stated"
    for prefix, group in (
        ("white", "White"),
        ("mixed", "Mixed"),
        ("asian", "Asian"),
        ("chinese", "Asian"),
        ("black", "Black"),
    ):
        if v.startswith(prefix):
            return group
    return "Other"


def minority_group(value: str) -> str:
    """Broad group -> White / Ethnic minority / Not stated (the WRES split)."""
    broad = broad_ethnic_group(value) if value not in {"White", "Ethnic minority"} else value
    if broad in {"White", "Not stated"}:
        return broad
    return "Ethnic minority"


def band_range(value: str) -> str:
    """Agenda for Change band -> Bands 1-4 / Bands 5-7 / Bands 8a-9 and VSM / Medical."""
    v = value.strip().lower().replace("band", "").strip()
    if value.lower().startswith("medical"):
        return "Medical and dental"
    if v in {"1", "2", "3", "4"}:
        return "Bands 1-4"
    if v in {"5", "6", "7"}:
        return "Bands 5-7"
    if v.startswith("8") or v in {"9", "vsm"}:
        return "Bands 8a-9 and VSM"
    return value


def service_range(value: str) -> str:
    """Length of service -> Under 3 years / 3-10 years / Over 10 years."""
    v = value.lower()
    if "less than 1" in v or v.startswith("1-2"):
        return "Under 3 years"
    if v.startswith(("3-5", "6-10")):
        return "3-10 years"
    if v.startswith(("11", "more than")):
        return "Over 10 years"
    return value


def clinical_group(value: str) -> str:
    """Staff group -> Clinical / Non-clinical."""
    non_clinical = {"admin and clerical", "estates and ancillary", "general management"}
    return "Non-clinical" if value.strip().lower() in non_clinical else "Clinical"


DEFAULT_HIERARCHIES: dict[str, tuple[Generaliser, ...]] = {
    "ethnicity": (broad_ethnic_group, minority_group),
    "band": (band_range,),
    "length_of_service": (service_range,),
    "staff_group": (clinical_group,),
}


@dataclass
class DisclosureReport:
    """What :func:`enforce_k_anonymity` changed."""

    k: int
    generalised: dict[str, int] = field(default_factory=dict)  # column -> levels applied
    suppressed_rows: int = 0
    small_groups_before: int = 0
    small_groups_after: int = 0

    def as_frame(self) -> pd.DataFrame:
        rows = [
            {"change": "generalised", "column": c, "levels": n} for c, n in self.generalised.items()
        ]
        rows.append(
            {
                "change": "suppressed",
                "column": "(quasi-identifiers)",
                "levels": self.suppressed_rows,
            }
        )
        return pd.DataFrame(rows)


def small_groups(frame: pd.DataFrame, columns: Sequence[str], k: int = DEFAULT_K) -> pd.DataFrame:
    """Every combination of ``columns`` shared by fewer than ``k`` rows, with its count."""
    require_columns(frame, columns, "disclosure control")
    counts = frame.groupby(list(columns), dropna=False, sort=True).size().rename("count")
    return counts[counts < k].reset_index()


def enforce_k_anonymity(
    frame: pd.DataFrame,
    columns: Sequence[str],
    k: int = DEFAULT_K,
    hierarchies: dict[str, tuple[Generaliser, ...]] | None = None,
) -> tuple[pd.DataFrame, DisclosureReport]:
    """Generalise, then suppress, until every combination of ``columns`` has >= ``k`` rows.

    Greedy: at each step the column with the most distinct values that can still be
    generalised moves up one level. Columns without a hierarchy (e.g. organisation) are only
    suppressed. Returns a new frame and the report; other columns are untouched.
    """
    require_columns(frame, columns, "disclosure control")
    hierarchies = DEFAULT_HIERARCHIES if hierarchies is None else hierarchies
    out = frame.copy()
    report = DisclosureReport(k=k, small_groups_before=len(small_groups(out, columns, k)))
    levels = {c: 0 for c in columns}
    while len(small_groups(out, columns, k)):
        candidates = [c for c in columns if levels[c] < len(hierarchies.get(c, ()))]
        if not candidates:
            break
        column = max(candidates, key=lambda c: (out[c].nunique(), -list(columns).index(c)))
        out[column] = out[column].astype(str).map(hierarchies[column][levels[column]])
        levels[column] += 1
        report.generalised[column] = levels[column]
    counts = out.groupby(list(columns), dropna=False)[columns[0]].transform("size")
    small = counts < k
    if small.any():
        for column in columns:
            out.loc[small, column] = SUPPRESSED
        report.suppressed_rows = int(small.sum())
    report.small_groups_after = len(small_groups(out, columns, k))
    return out, report
