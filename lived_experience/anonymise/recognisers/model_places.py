"""Places spaCy's model finds that no bundled list knows: towns, boroughs, states abroad.

The GeoNames lists (``places.v1``) know populated places of 500 people or more; a smaller
village, a borough, a county or a state abroad is left to the model. A span spaCy tags
``GPE`` or ``LOC`` is a place unless it is a country, a continent or world region, a UK
nation or region, or a research descriptor: those are kept, as everywhere else. A place
the places-abroad list knows is ``PLACE_ABROAD`` (kept by default); any other is
``UK_PLACE`` (replaced by default): in a UK staff survey an unlisted place is more often a
small place at home than abroad, and a small place identifies.

Needs spaCy's NER (``use_ner``); with rules only it finds nothing.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from lived_experience.anonymise.protected import ProtectedTerms
from lived_experience.anonymise.recognisers.base import recogniser_result
from lived_experience.anonymise.recognisers.places import UK_REGIONS, load_places

#: spaCy labels that name places
PLACE_LABELS = frozenset(("GPE", "LOC"))

#: everyday and former names of countries GeoNames lists under another name
COUNTRY_ALIASES = frozenset(
    (
        "holland",
        "czech republic",
        "burma",
        "ivory coast",
        "swaziland",
        "macedonia",
        "korea",
        "gambia",
        "congo",
        "russia",
        "america",
        "england",
        "scotland",
        "wales",
    )
)
#: phrases that are never places to replace (world regions, UK regions, context words)
KEPT_PHRASES = frozenset(
    (
        "africa",
        "europe",
        "asia",
        "america",
        "americas",
        "caribbean",
        "middle east",
        "south asia",
        "east asia",
        "south east asia",
        "southeast asia",
        "west africa",
        "east africa",
        "north africa",
        "southern africa",
        "latin america",
        "south america",
        "north america",
        "central america",
        "oceania",
        "the west",
        "north west",
        "north east",
        "south west",
        "south east",
        "east midlands",
        "west midlands",
        "east of england",
        "east anglia",
        "home counties",
        "commonwealth",
        "brexit",
        "windrush",
        "covid",
        "covid-19",
        "coronavirus",
        "nhs",
        "uk",
        "u.k.",
        "usa",
        "u.s.",
        "us",
        "u.s.a.",
        "great britain",
        "united kingdom",
        "states",
        "northern ireland",
        "gb",
        "eu",
        "european union",
        "north",
        "south",
        "east",
        "west",
    )
)


@functools.lru_cache(maxsize=1)
def load_countries() -> frozenset[str]:
    """Lower-case country names (GeoNames, bundled in ``data/countries.txt``)."""
    text = resources.files("lived_experience.anonymise.data").joinpath("countries.txt")
    names = [
        line.strip().casefold()
        for line in text.read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    # "The Netherlands" is also written "Netherlands"; and the older or everyday names
    return frozenset((*names, *(n.removeprefix("the ") for n in names), *COUNTRY_ALIASES))


_LEADING_THE = re.compile(r"^(?:the|The)\s+")
_POSSESSIVE = re.compile(r"['’]s$")


class ModelPlaceRecognizer(EntityRecognizer):
    """UK places below region level and places abroad that spaCy's NER finds."""

    NAME = "model_places.v1"

    def __init__(self, protected: ProtectedTerms | None = None) -> None:
        self.protected = protected or ProtectedTerms()
        self.abroad = {p.casefold() for p in (*load_places("places_abroad.txt")[0],)}
        self.kept = load_countries() | UK_REGIONS | KEPT_PHRASES
        super().__init__(
            supported_entities=["UK_PLACE", "PLACE_ABROAD"],
            name=self.NAME,
            supported_language="en",
        )

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        doc = getattr(nlp_artifacts, "tokens", None)
        if doc is None or not hasattr(doc, "ents"):
            return []
        wanted = set(entities or self.supported_entities)
        results = []
        for ent in model_entities(nlp_artifacts):
            if ent.label_ not in PLACE_LABELS:
                continue
            start, name = ent.start_char, ent.text
            leading = _LEADING_THE.match(name)
            if leading:
                start, name = start + leading.end(), name[leading.end() :]
            name = _POSSESSIVE.sub("", name).rstrip(".,;:")
            key = name.casefold()
            if len(name) < 3 or not name[0].isupper() or key in self.kept or key == "st.":
                continue
            if self.protected.is_protected(name):
                continue
            kind = "PLACE_ABROAD" if key in self.abroad else "UK_PLACE"
            if kind in wanted:
                results.append(
                    recogniser_result(self, kind, start, start + len(name), 0.5, "model")
                )
        return results


def model_entities(nlp_artifacts: object) -> tuple[Any, ...]:
    """The model's entities of every label: read once by the engine, else from the Doc."""
    cached = getattr(nlp_artifacts, "model_entities", None)
    if cached is not None:
        return tuple(cached)
    return tuple(getattr(getattr(nlp_artifacts, "tokens", None), "ents", ()))
