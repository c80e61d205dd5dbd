"""Words that are the subject of the research and must survive anonymisation.

Ethnicity, race, religion and nationality descriptors ("Black nurses", "Asian colleagues"),
roles and bands ("band 6", "staff nurse", "porter") and generic NHS terms ("BAME network",
"Freedom to Speak Up Guardian", "WRES", "HR", "the board") are not identifiers. A detection
made only of such words is dropped, and such words at the edge of a detection are trimmed
off it — unless a title makes it a name ("Mr White", "Dr Black").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ETHNICITY_RACE = (
    "black", "white", "brown", "asian", "african", "caribbean", "afro-caribbean", "mixed",
    "mixed-race", "bame", "bme", "ethnic", "minority", "minoritised", "racialised",
    "global majority", "people of colour", "person of colour", "poc", "gypsy", "traveller",
    "roma", "south asian", "east asian", "west african", "black british", "asian british",
    "white british", "white irish", "arab", "latino", "latina", "hispanic", "indigenous",
)
RELIGION = (
    "muslim", "muslims", "islam", "islamic", "hindu", "hindus", "sikh", "sikhs", "christian",
    "christians", "jewish", "jew", "jews", "buddhist", "catholic", "pentecostal", "hijab",
    "turban", "eid", "ramadan", "diwali", "vaisakhi", "christmas", "easter", "mosque",
    "church", "temple", "gurdwara",
)
NATIONALITY = (
    "british", "english", "scottish", "welsh", "irish", "northern irish", "indian",
    "pakistani", "bangladeshi", "sri lankan", "nepali", "chinese", "filipino", "filipina",
    "nigerian", "ghanaian", "zimbabwean", "kenyan", "somali", "sudanese", "south african",
    "jamaican", "trinidadian", "barbadian", "polish", "romanian", "bulgarian", "lithuanian",
    "portuguese", "spanish", "italian", "greek", "turkish", "kurdish", "iranian", "iraqi",
    "syrian", "egyptian", "moroccan", "malaysian", "vietnamese", "korean", "japanese",
    "european", "eastern european", "international", "overseas", "india", "pakistan",
    "bangladesh", "nigeria", "ghana", "zimbabwe", "kenya", "philippines", "jamaica",
    "poland", "romania", "china", "africa", "caribbean", "uk", "england", "britain",
)
ROLES = (
    "nurse", "nurses", "staff nurse", "senior nurse", "charge nurse", "sister", "matron",
    "midwife", "midwives", "doctor", "doctors", "consultant", "consultants", "registrar",
    "junior doctor", "junior doctors", "specialty doctor", "staff grade", "gp", "surgeon",
    "anaesthetist", "porter", "porters", "cleaner", "hca", "healthcare assistant",
    "health care assistant", "support worker", "physio", "physiotherapist", "radiographer",
    "pharmacist", "paramedic", "administrator", "receptionist", "ward manager", "manager",
    "line manager", "team leader", "director", "chief nurse", "chief executive", "ceo",
    "deputy director", "deputy director of nursing", "head of nursing", "executive",
    "executive team", "board", "the board", "chair", "non-executive", "band", "agenda for change",
    "afc", "vsm", "nurse in charge", "student", "apprentice", "bank staff", "agency staff",
    "locum", "allied health professional", "ahp", "healthcare scientist",
)
NHS_TERMS = (
    "nhs", "nhs england", "nhs employers", "bame network", "bme network", "race equality network",
    "ethnic minority staff network", "ethnic minority network", "staff network",
    "staff networks", "network", "freedom to speak up", "freedom to speak up guardian",
    "guardian", "ftsu", "wres", "wdes", "edi", "equality diversity and inclusion", "hr",
    "human resources", "occupational health", "nmc", "gmc", "hcpc", "cqc", "datix",
    "staff survey", "nhs staff survey", "trust", "the trust", "ward", "the ward", "unit",
    "a&e", "icu", "itu", "black history month", "south asian heritage month",
    "reverse mentoring", "union", "unison", "rcn", "bma", "esr", "pals",
)

_BAND = re.compile(r"^(?:band|bands)\s*(?:[1-9]|8[a-d])$", re.IGNORECASE)


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().strip(".,;:!?\"'()[]").casefold())


class ProtectedTerms:
    """The research descriptors to keep, with user additions (allow-list).

    >>> terms = ProtectedTerms()
    >>> terms.is_protected("Black"), terms.is_protected("band 6"), terms.is_protected("Priya")
    (True, True, False)
    """

    def __init__(self, extra: Iterable[str] = ()) -> None:
        self.phrases = {
            _normalise(t) for t in (*ETHNICITY_RACE, *RELIGION, *NATIONALITY, *ROLES,
                                    *NHS_TERMS, *extra)
        }
        self.words = {w for phrase in self.phrases for w in phrase.split()}

    def is_protected(self, text: str) -> bool:
        """True if ``text`` as a whole is a protected phrase (or a band)."""
        norm = _normalise(text)
        return norm in self.phrases or bool(_BAND.match(norm))

    def is_protected_word(self, word: str) -> bool:
        """True if the single word belongs to a protected phrase."""
        return _normalise(word) in self.words or _normalise(word).isdigit()
