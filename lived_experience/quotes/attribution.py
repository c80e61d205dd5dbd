"""Attributions that describe without identifying: every description shared by >= k people.

The richest description that at least k respondents in the data fit is used, trying in turn
(group = ``ethnic_group``, role = ``staff_group``, band = ``band`` generalised to a range):

1. group, role and band range: "Ethnic minority nurse or midwife, bands 5-7"
2. group and role: "Ethnic minority nurse or midwife"
3. group and clinical / non-clinical: "Ethnic minority clinical staff"
4. group alone: "Ethnic minority member of staff"
5. role alone: "Nurse or midwife" (for someone whose group is not stated, or too rare)
6. clinical / non-clinical alone: "Clinical staff"
7. "Member of NHS staff"

A level is skipped when the respondent's value it needs is blank, not stated or suppressed,
so nobody is called "Clinical staff" for want of a staff group.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from lived_experience.anonymise.disclosure import band_range, clinical_group

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


_UNKNOWN = {"", "not stated", "prefer not to say", "unknown", "*", "suppressed", "nan"}


def _known(value: str) -> bool:
    return value.strip().lower() not in _UNKNOWN


def _band_words(value: str) -> str:
    """'Band 5' -> 'bands 5-7' (the range disclosure control uses); '' when not a band."""
    text = band_range(value) if _known(value) else ""
    return text[0].lower() + text[1:] if text.lower().startswith("bands") else ""


def _role(staff: str) -> str:
    return STAFF_GROUP_WORDS.get(staff, "") if _known(staff) else ""


def _clinical(staff: str) -> str:
    if not _known(staff):
        return ""
    if staff in ("Clinical", "Non-clinical"):
        return staff
    return clinical_group(staff) if staff in STAFF_GROUP_WORDS else ""


def _person(group: str, role: str) -> str:
    prefix = GROUP_WORDS.get(group, group if _known(group) else "")
    text = f"{prefix} {role}".strip() if prefix else role
    return text[0].upper() + text[1:] if text else text


#: One level: the key that must be shared by k respondents and its words, or None to skip.
Level = Callable[[dict[str, str]], tuple[tuple[str, ...], str] | None]


def _levels() -> list[Level]:
    def rich(r: dict[str, str]) -> tuple[tuple[str, ...], str] | None:
        role, band = _role(r["staff"]), _band_words(r["band"])
        if not (_known(r["group"]) and role and band):
            return None
        return ("rich", r["group"], r["staff"], band), f"{_person(r['group'], role)}, {band}"

    def group_role(r: dict[str, str]) -> tuple[tuple[str, ...], str] | None:
        role = _role(r["staff"])
        if not (_known(r["group"]) and role):
            return None
        return ("role", r["group"], r["staff"]), _person(r["group"], role)

    def group_clinical(r: dict[str, str]) -> tuple[tuple[str, ...], str] | None:
        clinical = _clinical(r["staff"])
        if not (_known(r["group"]) and clinical):
            return None
        return ("clin", r["group"], clinical), _person(r["group"], f"{clinical.lower()} staff")

    def group_only(r: dict[str, str]) -> tuple[tuple[str, ...], str] | None:
        if not _known(r["group"]):
            return None
        return ("group", r["group"]), _person(r["group"], "member of staff")

    def role_only(r: dict[str, str]) -> tuple[tuple[str, ...], str] | None:
        role = _role(r["staff"])
        return (("staff", r["staff"]), _person("", role)) if role else None

    def clinical_only(r: dict[str, str]) -> tuple[tuple[str, ...], str] | None:
        clinical = _clinical(r["staff"])
        return (("c", clinical), f"{clinical} staff") if clinical else None

    def everyone(r: dict[str, str]) -> tuple[tuple[str, ...], str] | None:
        return (), "Member of NHS staff"

    return [rich, group_role, group_clinical, group_only, role_only, clinical_only, everyone]


def k_safe_attributions(
    respondents: pd.DataFrame,
    k: int = 11,
    group_column: str = "ethnic_group",
    staff_column: str = "staff_group",
    band_column: str = "band",
) -> dict[str, str]:
    """id -> attribution, each shared by at least ``k`` respondents of ``respondents``.

    ``respondents`` has one row per respondent with ``id`` and the attribute columns; any
    attribute column may be missing.
    """
    frame = respondents.fillna("").astype(str)
    people = [
        {
            "id": str(row["id"]),
            "group": str(row.get(group_column, "")).strip(),
            "staff": str(row.get(staff_column, "")).strip(),
            "band": str(row.get(band_column, "")).strip(),
        }
        for row in frame.to_dict("records")
    ]
    levels = _levels()
    described = [[level(person) for level in levels] for person in people]
    counts: dict[tuple[str, ...], int] = {}
    for options in described:
        for option in options:
            if option is not None:
                counts[option[0]] = counts.get(option[0], 0) + 1
    result = {}
    for person, options in zip(people, described, strict=True):
        for option in options:
            if option is not None and (counts[option[0]] >= k or option[0] == ()):
                result[person["id"]] = option[1]
                break
    return result
