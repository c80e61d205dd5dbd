"""NHS organisations, hospitals, GP practices, wards and sites.

"... NHS Foundation Trust", "St James's", "Ashvale General Hospital", "Ward 7B",
"Rowan Ward". Generic clinical units ("Intensive Care Unit", "the ward") are kept: they
rarely identify anyone on their own and they carry the research context.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

from lived_experience.anonymise.recognisers.base import RegexRecognizer, drop_nested

_CAP = r"(?:[A-Z][\w'’\-]*|&)"
_JOIN = r"(?:\s+(?:[A-Z][\w'’\-]*|of|and|the|for|&))"
GENERIC_UNITS = frozenset(
    (
        "intensive care",
        "acute medical",
        "stroke",
        "maternity",
        "renal",
        "coronary care",
        "high dependency",
        "day surgery",
        "discharge",
        "assessment",
        "admissions",
        "emergency",
        "medical",
        "surgical",
        "mental health",
        "psychiatric",
        "neonatal",
        "children's",
        "the",
        "my",
        "our",
        "a",
        "this",
        "that",
        "same",
        "new",
        "each",
        "every",
        "one",
    )
)


#: capitalised words after "at"/"at the" that are not hospitals
_NOT_SITE_WORDS = frozenset(
    """trust board ward unit team time moment end start beginning weekend weekends interview
    meeting start top bottom front back office home work school university time same
    hospital hospitals nhs""".split()
)


def _strip_leading_stop_words(text: str, start: int) -> tuple[int, str]:
    while True:
        first, _, rest = text.partition(" ")
        if rest and first.lower() in STOP_WORDS:
            start += len(first) + 1
            text = rest
        else:
            return start, text


#: what follows "Royal" in names that are not hospitals
_NOT_SITES = (
    r"(?:College|Colleges|Society|Navy|Mail|Air|Family|Marines|Academy|Institution|Household|"
    r"Charter|Assent|Commission|Ballet|Opera|Mint|Court|Courts|Warrant|Highness|Wedding)\b"
)
_SITE_CUE = (
    r"(?i:\b(?:at|to|from|in|joined|left|transferred\s+to|moved\s+to|placement\s+at|"
    r"rotation\s+at|over\s+at|down\s+at|up\s+at)\s+)"
)
#: after a site named alone: the end of a clause, or a word that is not a noun it owns
_SITE_END = (
    r"(?=\s*(?:[.,;:!?)]|$|\s(?:for|and|as|until|before|after|when|with|in|on|but|since|"
    r"where|because|during|last|this|years?|months?)\b))"
)


class NhsOrganisationRecognizer(RegexRecognizer):
    ENTITY = "NHS_ORGANISATION"
    NAME = "nhs_organisation.v1"
    PATTERNS = (
        ("trust", rf"\b({_CAP}{_JOIN}{{0,8}}\s+NHS\s+(?:Foundation\s+)?Trust)\b", 0.9, 1),
        (
            "icb",
            rf"\b({_CAP}{_JOIN}{{0,6}}\s+(?:Integrated\s+Care\s+Board|ICB|CCG|Health\s+Board))\b",
            0.85,
            1,
        ),
        (
            "practice",
            rf"\b({_CAP}{_JOIN}{{0,4}}\s+(?:Medical\s+Practice|Medical\s+Centre|Health\s+Centre|Surgery|Group\s+Practice|GP\s+Practice))\b",
            0.8,
            1,
        ),
    )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        return _trimmed(super().analyze(text, entities, nlp_artifacts), text)


class NhsSiteRecognizer(RegexRecognizer):
    ENTITY = "NHS_SITE"
    NAME = "nhs_site.v1"
    PATTERNS = (
        (
            "hospital",
            rf"\b({_CAP}{_JOIN}{{0,4}}\s+(?:Hospitals?|Infirmary|Hospice|Clinic|Health\s+Park))\b",
            0.85,
            1,
        ),
        (
            "saint",
            r"\b(St\.?\s+[A-Z][a-z]+(?:['’]s)?(?:\s+(?:Hospital|Infirmary|Hospice|Ward|Wing|Unit))?)",
            0.85,
            1,
        ),
        ("ward_number", r"\b((?:Ward|ward|WARD)\s+\d{1,3}[A-Za-z]?)\b", 0.85, 1),
        # how staff name hospitals without the word Hospital: "the Royal Free", "Salford
        # Royal", "at Frimley Park", "at Guy's", "at the Whittington"
        (
            "royal_x",
            rf"\b(Royal\s+(?!{_NOT_SITES})[A-Z][\w'’-]+(?:\s+(?!{_NOT_SITES})[A-Z][\w'’-]+){{0,2}})",
            0.7,
            1,
        ),
        ("x_royal", rf"\b([A-Z][\w'’-]+\s+Royal)\b(?!\s+{_NOT_SITES})", 0.7, 1),
        (
            "x_park_after_cue",
            rf"{_SITE_CUE}([A-Z][\w'’-]+\s+(?:Park|General|District|Memorial|Infirmary))\b",
            0.65,
            1,
        ),
        ("possessive_after_cue", rf"{_SITE_CUE}([A-Z][a-z]+['’]s?){_SITE_END}", 0.55, 1),
        ("the_x_after_cue", rf"{_SITE_CUE}the\s+([A-Z][a-z]{{3,}}){_SITE_END}", 0.5, 1),
        ("named_ward", r"\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+(?:Ward|Unit|Wing|Suite))\b", 0.7, 1),
    )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = drop_nested(_trimmed(super().analyze(text, entities, nlp_artifacts), text))
        kept = []
        for result in results:
            name = re.sub(r"\s+(?:Ward|Unit|Wing|Suite)$", "", text[result.start : result.end])
            if name.lower() in GENERIC_UNITS:
                continue
            if name.lower().rstrip("'’s") in _NOT_SITE_WORDS:
                continue
            kept.append(result)
        return kept


def _trimmed(results: list[RecognizerResult], text: str) -> list[RecognizerResult]:
    out = []
    for result in results:
        start, span = _strip_leading_stop_words(text[result.start : result.end], result.start)
        if span.split()[0].lower() in STOP_WORDS and len(span.split()) == 1:
            continue
        result.start, result.end = start, start + len(span)
        out.append(result)
    return out
