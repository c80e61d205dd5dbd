"""Places below region level: UK towns, cities, boroughs and streets; places abroad.

Place names come from GeoNames (``data/uk_places.txt``, ``data/places_abroad.txt``, CC-BY
4.0, rebuilt by ``bench/build_place_lists.py``). Countries, UK nations and regions are not
on the lists: they are the research ("moved from Nigeria", "nurses in the North West").
A place whose name is also an everyday word ("Reading", "Street", "March") is taken only
after a place cue ("in", "at", "from", "near", "moved to"). Streets are found by pattern
("14 Elm Grove", "Hartley Road").

UK places are ``UK_PLACE`` and replaced by default. Places abroad are ``PLACE_ABROAD``,
kept by default (where someone trained or came from is often the point of the answer); add
``PLACE_ABROAD`` to the settings' ``entities`` to replace them too.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from lived_experience.anonymise.recognisers.base import drop_nested, recogniser_result

_CAPITALISED = re.compile(
    r"[A-Z][\w'’.-]*(?:[ -](?:(?:upon|on|in|le|de|under|by|the)[ -])?[A-Z][\w'’.-]*){0,3}"
)
_CUE_BEFORE = re.compile(
    r"(?i)(?:\b(?:in|at|from|to|near|around|outside|towards|via|of|into|across|lives?|lived|"
    r"living|based|moved|moving|commute[sd]?|travel(?:led|s)?)\s+)$"
)
_STREET = re.compile(
    r"\b((?:\d{1,4}[A-Za-z]?,?\s+)?(?:[A-Z][a-z'’]+\s+){1,3}(?:Road|Street|Lane|Avenue|Close|"
    r"Drive|Way|Crescent|Gardens|Grove|Terrace|Rise|Square|Mews|Parade|Walk|Row|Hill|Court)\b)"
)
#: a flat, apartment or suite number, or a PO box: part of an address wherever it is
_FLAT = re.compile(
    r"\b((?:Flat|Apt\.?|Apartment|Suite)\s+\d{1,4}[A-Za-z]?|P\.?\s?O\.?\s+Box\s+\d{1,6})\b"
)
#: streets as they are named abroad: the street word first ("Rua Arapiraca 1943",
#: "Viale Roma 12", "Calle de Alcalá") or joined on at the end ("Hauptstraße 5", "Storgatan")
_STREET_ABROAD = re.compile(
    r"\b((?:\d{1,5}[A-Za-z]?,?\s+)?(?:Viale|Rua|Rue|Avenida|Avda\.|Calle|Carrer|Plaza|Piazza|Praça|Ulica|Strada|"
    r"Chemin|Boulevard)\s+(?:(?:de|da|do|dos|das|del|della|di|la|le|les|des|du)\s+)?"
    r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}(?:\s+\d{1,5}[A-Za-z]?)?"
    r"|[A-Z][\w'’-]*(?:straße|strasse|gasse|weg|vej|gade|gatan|vägen|straat|laan|utca)"
    r"(?:\s+\d{1,5}[A-Za-z]?)?)\b"
)
_MAX_WORDS = 4
_POSSESSIVE = re.compile(r"['’]s$")
#: UK nations and regions: research context, never replaced as places, and never a name
#: on the gazetteer alone ("London" is also a surname)
UK_REGIONS = frozenset(
    (
        "england",
        "scotland",
        "wales",
        "britain",
        "london",
        "yorkshire",
        "midlands",
        "ireland",
    )
)


@functools.lru_cache(maxsize=4)
def load_places(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """(places, places that are also common words) from a bundled list."""
    text = resources.files("lived_experience.anonymise.data").joinpath(name).read_text("utf-8")
    plain, common = set(), set()
    for line in text.splitlines():
        kind, _, place = line.partition(": ")
        if kind == "place":
            plain.add(place.strip())
        elif kind == "common":
            common.add(place.strip())
    return frozenset(plain), frozenset(common)


class PlaceRecognizer(EntityRecognizer):
    """UK places (``UK_PLACE``) and places abroad (``PLACE_ABROAD``) from GeoNames lists."""

    NAME = "places.v1"

    def __init__(self) -> None:
        self.uk, self.uk_common = load_places("uk_places.txt")
        self.abroad, self.abroad_common = load_places("places_abroad.txt")
        super().__init__(
            supported_entities=["UK_PLACE", "PLACE_ABROAD"],
            name=self.NAME,
            supported_language="en",
        )

    def load(self) -> None:
        return None

    def _kind(self, name: str, cued: bool) -> str | None:
        if name in self.uk or (cued and name in self.uk_common):
            return "UK_PLACE"
        if name in self.abroad or (cued and name in self.abroad_common):
            return "PLACE_ABROAD"
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        wanted = set(entities or self.supported_entities)
        results: list[RecognizerResult] = []
        for match in _CAPITALISED.finditer(text):
            words = [(m.start(), m.end()) for m in re.finditer(r"[^\s-]+", match.group())]
            offset = match.start()
            i = 0
            while i < len(words):
                found = None
                start = offset + words[i][0]
                cued = bool(_CUE_BEFORE.search(text[max(0, start - 30) : start]))
                for j in range(min(len(words), i + _MAX_WORDS), i, -1):
                    end = offset + words[j - 1][1]
                    name = _POSSESSIVE.sub("", text[start:end]).rstrip(".")
                    kind = self._kind(name, cued)
                    if kind:
                        found = (start, start + len(name), kind, j, cued)
                        break
                if found is None:
                    i += 1
                    continue
                start, end, kind, j, cued = found
                if kind in wanted:
                    score = 0.7 if cued else 0.6
                    results.append(
                        recogniser_result(self, kind, start, end, score, "cue" if cued else "list")
                    )
                i = j
        if "UK_PLACE" in wanted:
            results += [
                recogniser_result(self, "UK_PLACE", m.start(1), m.end(1), 0.7, "street")
                for m in _STREET.finditer(text)
            ]
            results += [
                recogniser_result(self, "UK_PLACE", m.start(1), m.end(1), 0.7, pattern)
                for pattern, regex in (("flat", _FLAT), ("street_abroad", _STREET_ABROAD))
                for m in regex.finditer(text)
            ]
        return drop_nested(results)
