"""Readable stand-ins for pseudonym tags in quotes a report reader will see.

The anonymiser writes consistent tags such as ``[PERSON_E3460F]`` so analysts can follow the
same person across answers. In a report those tags make a reader stumble, so quotes shown to
readers replace them:

* ``"placeholder"`` (default): a bracketed word for the kind of thing removed,
  ``[colleague]``, ``[hospital]``, ``[date]``. When one quote mentions two different people
  they become ``[colleague A]`` and ``[colleague B]`` so the quote still makes sense.
* ``"surrogate"``: a consistent invented first name for every person tag (the same tag gets
  the same name in every quote of the bank), other identifiers as placeholders.

Risks of surrogates (see docs/quotes.md): a reader may take an invented name for the real
one, or it may match a real colleague's name and point at the wrong person; a name also
suggests a gender and an ethnic background the original may not have had, which matters in
a study about race. Placeholders carry none of these risks, hence the default.

>>> readable_placeholders("[PERSON_E3460F] moved me off [NHS_SITE_1A2B3C] on [DATE_494616].")
'[colleague] moved me off [hospital] on [date].'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Literal

PlaceholderStyle = Literal["placeholder", "surrogate", "tags"]

#: entity type -> the word a reader sees in brackets.
PLACEHOLDER_WORDS: Mapping[str, str] = {
    "PERSON": "colleague",
    "NHS_ORGANISATION": "trust",
    "NHS_SITE": "hospital",
    "DATE": "date",
    "PHONE_NUMBER": "phone number",
    "EMAIL_ADDRESS": "email address",
    "URL": "web address",
    "SOCIAL_HANDLE": "social media handle",
    "UK_POSTCODE": "postcode",
    "NHS_NUMBER": "NHS number",
    "UK_NINO": "NI number",
    "GMC_NUMBER": "GMC number",
    "NMC_PIN": "NMC PIN",
    "STAFF_ID": "staff number",
    "LOCATION": "place",
    "REDACTED": "removed",
}

#: Invented, mostly gender-neutral first names from several origins, for ``"surrogate"``.
SURROGATE_NAMES: tuple[str, ...] = (
    "Alex",
    "Sam",
    "Jordan",
    "Kiran",
    "Remi",
    "Noor",
    "Robin",
    "Ari",
    "Yemi",
    "Sasha",
    "Jamie",
    "Dara",
    "Eden",
    "Amani",
    "Rowan",
    "Nikita",
    "Toni",
    "Sol",
    "Charlie",
    "Kai",
)

# A tag as the anonymiser writes it: [TYPE_HEX] (type-tag operator: [TYPE]; redact: [REDACTED]).
_TAG = re.compile(r"\[([A-Z][A-Z_]*?)(?:_([0-9A-F]{4,16}))?\]")
#: A left-over ``[TYPE_HEX]`` tag (what the checks look for in reader-facing text).
RAW_TAG = re.compile(r"\[[A-Z][A-Z_]*_[0-9A-F]{4,16}\]")


def _word(entity_type: str) -> str:
    return PLACEHOLDER_WORDS.get(entity_type, entity_type.lower().replace("_", " "))


class SurrogateNames:
    """Hands out one invented name per person tag, the same every time it is asked.

    Names are given in order of first appearance; after the list is used up, names get a
    number ("Alex 2"), so two different tags never share a name.
    """

    def __init__(self, names: Iterable[str] = SURROGATE_NAMES) -> None:
        self.names = tuple(names)
        self.assigned_: dict[str, str] = {}

    def name(self, tag: str) -> str:
        if tag not in self.assigned_:
            n = len(self.assigned_)
            base = self.names[n % len(self.names)]
            self.assigned_[tag] = (
                base if n < len(self.names) else f"{base} {n // len(self.names) + 1}"
            )
        return self.assigned_[tag]


def readable_placeholders(
    text: str,
    style: PlaceholderStyle = "placeholder",
    surrogates: SurrogateNames | None = None,
) -> str:
    """``text`` with every pseudonym tag replaced by what a reader understands.

    ``style="tags"`` returns ``text`` unchanged. With ``"surrogate"``, pass one
    :class:`SurrogateNames` for a whole quote bank so a person keeps their name across quotes.

    >>> readable_placeholders("[PERSON_AAAA11] told [PERSON_BBBB22] to ask [PERSON_AAAA11].")
    '[colleague A] told [colleague B] to ask [colleague A].'
    >>> names = SurrogateNames()
    >>> readable_placeholders("[PERSON_AAAA11] and [DATE_0000FF]", "surrogate", names)
    'Alex and [date]'
    """
    if style == "tags":
        return text
    if style == "surrogate" and surrogates is None:
        surrogates = SurrogateNames()
    # distinct tags of each type in this text, in order of appearance
    distinct: dict[str, list[str]] = {}
    for match in _TAG.finditer(text):
        seen = distinct.setdefault(match.group(1), [])
        if match.group(0) not in seen:
            seen.append(match.group(0))

    def replace(match: re.Match[str]) -> str:
        entity_type, tag = match.group(1), match.group(0)
        if not match.group(2) and entity_type not in PLACEHOLDER_WORDS:
            return tag  # ordinary bracketed text such as "[NB]", not a tag
        if style == "surrogate" and entity_type == "PERSON" and surrogates is not None:
            return surrogates.name(tag)
        word = _word(entity_type)
        tags = distinct[entity_type]
        if len(tags) > 1 and match.group(2):
            index = tags.index(tag)
            letter = chr(ord("A") + index) if index < 26 else str(index + 1)
            word = f"{word} {letter}"
        return f"[{word}]"

    return _TAG.sub(replace, text)
