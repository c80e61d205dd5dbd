"""NHS organisations, hospitals, GP practices, wards and sites.

"... NHS Foundation Trust", "St James's", "Ashvale General Hospital", "Ward 7B",
"Rowan Ward". Generic clinical units ("Intensive Care Unit", "the ward") are kept: they
rarely identify anyone on their own and they carry the research context.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

from lived_experience.anonymise.recognisers.base import (
    RegexRecognizer,
    drop_nested,
    recogniser_result,
)
from lived_experience.anonymise.recognisers.model_places import load_countries
from lived_experience.anonymise.recognisers.places import UK_REGIONS

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
#: "the Princess Royal", "the Prince Royal": a royal title, not a hospital
_ROYAL_TITLES = r"(?:Princess|Prince|King|Queen|Duke|Duchess|Lord|Lady)\b"
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
    NEEDS = {
        "trust": ("nhs",),
        "icb": ("board", "icb", "ccg"),
        "practice": ("practice", "centre", "surgery"),
    }
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
    NEEDS = {
        "hospital": ("hospital", "infirmary", "hospice", "clinic", "health park"),
        "ward_number": ("ward",),
        "royal_x": ("royal",),
        "x_royal": ("royal",),
        "x_park_after_cue": ("park", "general", "district", "memorial", "infirmary"),
        "named_ward": ("ward", "unit", "wing", "suite"),
    }
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
        (
            "x_royal",
            rf"\b((?!{_ROYAL_TITLES})[A-Z][\w'’-]+\s+Royal)\b(?!\s+{_NOT_SITES})",
            0.7,
            1,
        ),
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
            if name.casefold() in load_countries() or name.casefold() in UK_REGIONS:
                continue  # "at the Iceland", "from Germany": a country, kept
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


def _place_key(name: str) -> str:
    """ "Guy's and St. Thomas'" and "guys & st thomas" -> the same key."""
    key = re.sub(r"['’]", "", name.casefold()).replace("&", " and ")
    key = re.sub(r"\bst\.", "st", key)
    return " ".join(key.split())


@functools.lru_cache(maxsize=1)
def load_nhs_places() -> dict[str, tuple[str, str]]:
    """Normalised name -> (kind, entity) from the bundled list of real NHS trusts and sites
    (``data/nhs_places.txt``, built from NHS Digital's ODS by ``bench/build_nhs_places.py``)."""
    text = resources.files("lived_experience.anonymise.data").joinpath("nhs_places.txt")
    places: dict[str, tuple[str, str]] = {}
    for line in text.read_text("utf-8").splitlines():
        kind, _, name = line.partition(": ")
        if kind in {"trust", "site", "short", "cued"} and name.strip():
            entity = "NHS_ORGANISATION" if kind == "trust" else "NHS_SITE"
            places.setdefault(_place_key(name), (kind, entity))
    return places


_NAME_RUN = re.compile(
    r"[A-Z][\w'’.\-]*(?:\s+(?:(?:and|of|the|for|upon|on|&)\s+)*[A-Z][\w'’.\-]*)*"
)
_RUN_WORD = re.compile(r"[^\s]+")
_CUED_BEFORE = re.compile(
    r"(?i:\b(?:at|to|from|in|joined|left|the|over|down|up|into|placement|rotation|"
    r"transferred|moved)\s+)$"
)
_SCORES = {"trust": 0.9, "site": 0.85, "short": 0.75, "cued": 0.6}


class NhsPlaceListRecognizer(EntityRecognizer):
    """Real NHS trusts and hospital sites by name, and the short forms staff use for them.

    The list is NHS Digital's ODS extract of English trusts (see ``data/nhs_places.txt``):
    "Northwick Park Hospital", "Northwick Park", "Royal Free London NHS Foundation Trust",
    "Guy's and St Thomas'"; a one-word short form ("Whittington", "Addenbrooke's") only after
    a site cue or as a possessive. Extend it with your own organisation's sites through the
    deny list or a recogniser of your own.
    """

    NAME = "nhs_place_list.v1"

    def __init__(self) -> None:
        self.places = load_nhs_places()
        self.longest = max((k.count(" ") + 1 for k in self.places), default=1)
        super().__init__(
            supported_entities=["NHS_SITE", "NHS_ORGANISATION"],
            name=self.NAME,
            supported_language="en",
        )

    def load(self) -> None:
        return None

    def _lookup(self, name: str) -> tuple[str, str] | None:
        key = _place_key(name)
        found = self.places.get(key)
        if found is None and re.search(r"['’]s$", name):
            found = self.places.get(_place_key(name[:-2]))
        return found

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        wanted = set(entities or self.supported_entities)
        results: list[RecognizerResult] = []
        for run in _NAME_RUN.finditer(text):
            words = [(m.start(), m.end()) for m in _RUN_WORD.finditer(run.group())]
            offset = run.start()
            i = 0
            while i < len(words):
                hit = None
                for j in range(min(len(words), i + self.longest), i, -1):
                    start, end = offset + words[i][0], offset + words[j - 1][1]
                    while end > start and text[end - 1] in ".,;:":
                        end -= 1
                    if not text[end - 1 : end].isalpha() and text[end - 1 : end] not in "'’":
                        continue
                    found = self._lookup(text[start:end])
                    if found is None:
                        continue
                    kind, entity = found
                    if kind == "cued" and not (
                        _CUED_BEFORE.search(text[max(0, start - 20) : start])
                        or re.search(r"['’]s?$", text[start:end])
                    ):
                        continue
                    hit = (start, end, kind, entity, j)
                    break
                if hit is None:
                    i += 1
                    continue
                start, end, kind, entity, j = hit
                if entity in wanted:
                    score = _SCORES[kind]
                    results.append(recogniser_result(self, entity, start, end, score, kind))
                i = j
        return results
