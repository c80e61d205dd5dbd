"""Compose synthetic free text from templates while recording the gold spans exactly."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from lived_experience.synthetic import identifiers as ids
from lived_experience.synthetic.names import (
    NAMES_BY_ORIGIN,
    ORIGINS,
    TITLES_WITH_FIRST_NAME,
    TITLES_WITH_SURNAME,
)
from lived_experience.synthetic.organisations import Organisation

_TOKEN = re.compile(r"\[\[(?P<keep>[^\]]+)\]\]|\{(?P<slot>[a-z_]+)\}")


@dataclass(frozen=True)
class GoldSpan:
    """One planted identifier (or protected descriptor) in a text."""

    start: int
    end: int
    entity_type: str
    origin: str | None = None

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "start": self.start,
            "end": self.end,
            "entity_type": self.entity_type,
        }
        if self.origin is not None:
            out["origin"] = self.origin
        return out


@dataclass
class TextBuilder:
    """Appends pieces of text and keeps the offsets of identifiers and protected words."""

    rng: random.Random
    org: Organisation
    typo_rate: float = 0.0
    parts: list[str] = field(default_factory=list)
    entities: list[GoldSpan] = field(default_factory=list)
    protected: list[GoldSpan] = field(default_factory=list)
    length: int = 0

    def text(self) -> str:
        return "".join(self.parts)

    def literal(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def entity(self, text: str, entity_type: str, origin: str | None = None) -> None:
        self.entities.append(GoldSpan(self.length, self.length + len(text), entity_type, origin))
        self.literal(text)

    def keep(self, text: str, label: str = "DESCRIPTOR") -> None:
        self.protected.append(GoldSpan(self.length, self.length + len(text), label))
        self.literal(text)

    def sentence(self, template: str) -> None:
        """Render one template (see :mod:`lived_experience.synthetic.themes`)."""
        if self.parts and not self.text().endswith((" ", "\n")):
            self.literal(" ")
        position = 0
        for match in _TOKEN.finditer(template):
            self.literal(self._typos(template[position : match.start()]))
            if match.group("keep"):
                self.keep(match.group("keep"))
            else:
                self.slot(match.group("slot"))
            position = match.end()
        self.literal(self._typos(template[position:]))

    def _typos(self, text: str) -> str:
        """Swap two letters inside an occasional long word, as hurried typing does."""
        if self.typo_rate <= 0 or not text:
            return text
        words = text.split(" ")
        for i, word in enumerate(words):
            if (
                len(word) >= 6
                and word.isalpha()
                and word.islower()
                and (self.rng.random() < self.typo_rate)
            ):
                j = self.rng.randrange(1, len(word) - 2)
                words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
        return " ".join(words)

    # -- identifiers -------------------------------------------------------------------
    def person(self, origin: str | None = None) -> tuple[str, str, str]:
        origin = origin or self.rng.choice(ORIGINS)
        firsts, lasts = NAMES_BY_ORIGIN[origin]
        return origin, self.rng.choice(firsts), self.rng.choice(lasts)

    def slot(self, slot: str) -> None:
        rng = self.rng
        if slot == "name":
            origin, first, last = self.person()
            style = rng.random()
            if style < 0.45:
                value = f"{first} {last}"
            elif style < 0.75:
                value = first
            elif style < 0.85:
                self.literal(rng.choice(TITLES_WITH_SURNAME) + " ")
                value = last
            else:
                value = rng.choice((f"{first} {last}", first)).lower()
            self.entity(value, "PERSON", origin)
        elif slot == "dr":
            origin, first, last = self.person()
            self.literal("Dr ")
            self.entity(last if rng.random() < 0.6 else f"{first} {last}", "PERSON", origin)
        elif slot == "sister":
            origin, first, last = self.person()
            self.literal(rng.choice(TITLES_WITH_FIRST_NAME) + " ")
            self.entity(first if rng.random() < 0.7 else f"{first} {last}", "PERSON", origin)
        elif slot == "trust":
            self.entity(self.org.name, "NHS_ORGANISATION")
        elif slot == "hospital":
            self.entity(rng.choice(self.org.hospitals), "NHS_SITE")
        elif slot == "ward":
            self.entity(rng.choice(self.org.wards), "NHS_SITE")
        elif slot == "phone":
            self.entity(ids.phone(rng), "PHONE_NUMBER")
        elif slot == "email":
            _, first, last = self.person()
            self.entity(ids.email(rng, first, last, self.org.email_domain), "EMAIL_ADDRESS")
        elif slot == "nhs_number":
            self.entity(ids.nhs_number(rng), "NHS_NUMBER")
        elif slot == "postcode":
            self.entity(ids.postcode(rng), "UK_POSTCODE")
        elif slot == "nino":
            self.entity(ids.national_insurance_number(rng), "UK_NINO")
        elif slot == "gmc":
            self.entity(ids.gmc_number(rng), "GMC_NUMBER")
        elif slot == "nmc":
            self.entity(ids.nmc_pin(rng), "NMC_PIN")
        elif slot == "staff_id":
            self.entity(ids.staff_id(rng), "STAFF_ID")
        elif slot == "date":
            self.entity(ids.specific_date(rng), "DATE")
        elif slot == "handle":
            _, first, _ = self.person()
            self.entity(ids.social_handle(rng, first), "SOCIAL_HANDLE")
        elif slot == "url":
            _, first, last = self.person()
            self.entity(ids.profile_url(rng, first, last), "URL")
        else:  # pragma: no cover - a template typo
            raise ValueError(f"unknown template slot {{{slot}}}")
