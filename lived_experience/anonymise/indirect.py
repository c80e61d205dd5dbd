"""Indirect identifiers: phrases that single a person out without naming them.

Only a real identifying combination is flagged: "only" or "first" with a group descriptor
and a role, grade, specialty or place ("the only Nigerian director on the board", "the
first Black consultant in cardiology", "I'm the only hijabi midwife at the trust"). Phrases
such as "the only one who ever stood up for me" single nobody out and are not flagged.

In the shareable output a flagged phrase is replaced by a readable generalisation
("[a senior role]", "[a clinical role]", "[a staff role]") unless a reviewer keeps it
(decision ``reject`` in the decisions file); the entities table says which.
"""

from __future__ import annotations

import re

from lived_experience.anonymise.detection import Detection
from lived_experience.anonymise.protected import ETHNICITY_RACE, NATIONALITY, RELIGION

#: people described by group (beyond ethnicity, religion and nationality)
_OTHER_GROUPS = (
    "woman",
    "women",
    "female",
    "male",
    "man",
    "men",
    "hijabi",
    "gay",
    "lesbian",
    "trans",
    "disabled",
    "deaf",
    "blind",
    "non-white",
    "foreign",
    "overseas-trained",
    "internationally educated",
    "international",
    "immigrant",
    "migrant",
    "african-caribbean",
)
#: roles, grades and specialties a person is singled out by, senior first
SENIOR_ROLES = (
    "director",
    "directors",
    "consultant",
    "consultants",
    "matron",
    "matrons",
    "manager",
    "managers",
    "head",
    "chief",
    "executive",
    "exec",
    "board member",
    "non-executive",
    "chair",
    "lead",
    "professor",
    "clinical director",
    "medical director",
    "associate director",
    "deputy director",
    "ward manager",
    "modern matron",
    "band 8a",
    "band 8b",
    "band 8c",
    "band 8d",
    "band 9",
    "band 8",
    "senior",
    "surgeon",
    "surgeons",
    "partner",
    "governor",
)
CLINICAL_ROLES = (
    "nurse",
    "nurses",
    "midwife",
    "midwives",
    "doctor",
    "doctors",
    "registrar",
    "registrars",
    "anaesthetist",
    "gp",
    "physio",
    "physiotherapist",
    "radiographer",
    "pharmacist",
    "paramedic",
    "sister",
    "charge nurse",
    "staff nurse",
    "junior doctor",
    "fy1",
    "fy2",
    "band 5",
    "band 6",
    "band 7",
    "sho",
    "hca",
    "healthcare assistant",
    "therapist",
    "psychologist",
    "psychiatrist",
    "cardiologist",
    "oncologist",
    "radiologist",
    "dietitian",
    "scientist",
    "practitioner",
    "student",
)
STAFF_ROLES = (
    "porter",
    "porters",
    "cleaner",
    "cleaners",
    "administrator",
    "receptionist",
    "secretary",
    "worker",
    "member of staff",
    "staff member",
    "employee",
    "person",
    "one",
    "guardian",
    "rep",
    "representative",
    "trainee",
    "apprentice",
)
_PLACE_TAIL = (
    r"(?:\s+(?:in|at|on|of|within|across|for)\s+(?:the\s+|our\s+|my\s+)?"
    r"[\w&'’-]+(?:\s+(?!(?:who|which|that|and|but|because)\b)[\w&'’-]+){0,3})?"
)


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_GROUP = _alternation((*ETHNICITY_RACE, *RELIGION, *NATIONALITY, *_OTHER_GROUPS))
_ROLE = _alternation((*SENIOR_ROLES, *CLINICAL_ROLES, *STAFF_ROLES))
_PATTERN = re.compile(
    rf"\b(?:the|as\s+the|being\s+the|i['’]?m\s+the|i\s+am\s+the|i\s+was\s+the|was\s+the|"
    rf"is\s+the|one\s+of\s+the)\s+(?P<kind>only|first|sole|last\s+remaining)\s+"
    rf"(?:(?:other|ever|remaining|one)\s+)?"
    rf"(?P<group>(?:{_GROUP})(?:\s+(?:{_GROUP}))*)\s+"
    rf"(?:[\w-]+\s+){{0,2}}?(?P<role>{_ROLE})\b{_PLACE_TAIL}",
    re.IGNORECASE,
)


def generalisation(role: str) -> str:
    """The readable replacement for a flagged phrase, by how senior its role is.

    >>> generalisation("director")
    '[a senior role]'
    """
    role = role.lower()
    if role in SENIOR_ROLES:
        return "[a senior role]"
    if role in CLINICAL_ROLES:
        return "[a clinical role]"
    return "[a staff role]"


def find_indirect_identifiers(text: str) -> list[Detection]:
    """Spans of ``text`` that identify the writer by a rare combination.

    The detection's ``pattern`` is the generalisation to put in the shareable output.

    >>> text = "I am the only Black consultant in cardiology."
    >>> [(d.entity_type, d.pattern) for d in find_indirect_identifiers(text)]
    [('INDIRECT_IDENTIFIER', '[a senior role]')]
    >>> find_indirect_identifiers("She was the only one who ever stood up for me.")
    []
    """
    lowered = text.lower()
    if not any(kind in lowered for kind in ("only", "first", "sole", "last")):
        return []  # every flagged phrase has one of these words: skip the costly pattern
    found: list[Detection] = []
    for match in _PATTERN.finditer(text):
        start = match.start() + re.search(r"\bthe\b", match.group(), re.IGNORECASE).start()  # type: ignore[union-attr]
        end = match.end()
        while end > match.start() and text[end - 1] in ".,;:!?'’\" ":
            end -= 1
        found.append(
            Detection(
                start,
                end,
                "INDIRECT_IDENTIFIER",
                1.0,
                "indirect_identifier.v2",
                generalisation(match.group("role")),
            )
        )
    return found
