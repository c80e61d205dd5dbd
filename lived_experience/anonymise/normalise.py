"""A normalised copy of a text for detection, with a map back to the original's offsets.

Names written with full-width letters ("Ｋｗａｍｅ"), split by zero-width spaces
("Kwa\u200bme") or wrapped in bidirectional controls slip past recognisers that look for
letters. Detection therefore runs on a copy where each character cluster (a character and the
combining marks after it) is NFKC-normalised and invisible format characters are removed;
the spans found are mapped back to the original text, which is what gets replaced. Text
outside the replaced spans is left exactly as it was.

>>> norm = normalise_for_detection("Ask K\u200bwame")
>>> norm.text
'Ask Kwame'
>>> norm.to_original(4, 9)
(4, 10)
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

#: Zero-width and bidirectional format characters removed before detection.
INVISIBLE = frozenset(
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)


@dataclass(frozen=True)
class NormalisedText:
    """``text`` for detection; ``starts[i]``/``ends[i]`` bound the original cluster of char i."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering normalised ``[start, end)``."""
        if end <= start:
            position = self.starts[start] if start < len(self.starts) else self.ends[-1]
            return position, position
        return self.starts[start], self.ends[end - 1]


def needs_normalising(text: str) -> bool:
    """False for text that normalising would leave unchanged (the common, fast case)."""
    if text.isascii():
        return False
    return any(c in INVISIBLE for c in text) or not unicodedata.is_normalized("NFKC", text)


def normalise_for_detection(text: str) -> NormalisedText:
    """NFKC per character cluster, invisible format characters removed, offsets kept."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]) and text[j] not in INVISIBLE:
            j += 1
        cluster = "".join(c for c in text[i:j] if c not in INVISIBLE)
        normalised = unicodedata.normalize("NFKC", cluster) if cluster else ""
        for char in normalised:
            pieces.append(char)
            starts.append(i)
            ends.append(j)
        i = j
    return NormalisedText("".join(pieces), tuple(starts), tuple(ends))
