"""Words written in a script other than Latin: names as their owners write them, and answers
the English recognisers cannot read.

The other recognisers and spaCy's English model read Latin script. A name written in
Arabic script (محمد), Devanagari (राहुल), Bengali (ঋষি), Gurmukhi (ਗੁਰਪ੍ਰੀਤ), Chinese (王伟),
Cyrillic (Наталья) or Greek (Αλέξανδρος) inside an English answer passes them by, so this
recogniser treats every run of such words as an identifier (recall before precision):

* in an answer written mostly in Latin script (at least :data:`LATIN_SHARE` of its letters
  or of its words), a run of words in another script is reported as ``PERSON`` (pattern ``other_script``): it
  is almost always a name, or a place, written as its owner writes it;
* in an answer written mostly in another script (a whole answer in Urdu, Arabic, Bengali...)
  nothing here can tell a name from the rest, so every run of other-script words is reported
  as ``OTHER_SCRIPT`` (pattern ``other_script_answer``): the answer's other-script text is
  replaced, Latin words and numbers stay, and the original is in the entities file for a
  reviewer who reads the language (reject the detection there to keep the text).

Turn the whole recogniser off with ``AnonymiserSettings(other_scripts=False)`` (study YAML:
``anonymise: {other_scripts: false}``); keep whole other-script answers but still remove
names inside English answers by leaving ``OTHER_SCRIPT`` out of ``entities``.

A run needs two letters, or one ideograph or syllable block (王): a lone Greek letter is a
symbol ("β-blockers", "Δ"), not a name. Run the recogniser on text normalised for detection
(NFKC, zero-width and bidirectional controls removed; the engine does this).

>>> text = "My manager محمد علی said no."
>>> [(text[start:end], kind) for start, end, kind in find(text)]
[('محمد علی', 'PERSON')]
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from lived_experience.anonymise.protected import ProtectedTerms
from lived_experience.anonymise.recognisers.base import recogniser_result

#: An answer at least this share of whose letters (or words) are Latin is "written in Latin
#: script".
LATIN_SHARE = 0.5
#: Entity type of other-script text in an answer written mostly in another script.
OTHER_SCRIPT = "OTHER_SCRIPT"
#: Characters that join two parts of one word when letters of another script surround them
#: (ジョン・スミス, Жан-Поль; the zero-width non-joiner inside Persian and Urdu words).
_INNER = frozenset("-'’\u30fb\u00b7\u200c\u200d")
#: Names of Unicode letters that count as Latin (besides ASCII).
_LATIN_NAMES = ("LATIN", "MODIFIER LETTER", "FULLWIDTH LATIN")
#: One of these alone is a whole name (a Chinese surname, a Korean syllable block).
_BLOCK_NAMES = ("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH", "HANGUL SYLLABLE")


@lru_cache(maxsize=8192)
def _letter_kind(char: str) -> str:
    """'latin', 'other' (a letter of another script), 'mark' (combining) or '' (neither)."""
    if char.isascii():
        return "latin" if char.isalpha() else ""
    category = unicodedata.category(char)
    if category[0] == "M":
        return "mark"
    if category[0] != "L":
        return ""
    return "latin" if unicodedata.name(char, "").startswith(_LATIN_NAMES) else "other"


def _is_block(char: str) -> bool:
    return unicodedata.name(char, "").startswith(_BLOCK_NAMES)


def latin_share(text: str) -> float:
    """The share of ``text`` written in Latin script: of its letters or of its words
    (white-space separated, with a letter), whichever is larger; 1.0 without letters.

    Words count too, so a short answer around a long name ("The matron Наталья Иванова was
    fair": 53% of letters, 67% of words) still reads as English.
    """
    latin = other = 0
    latin_words = other_words = 0
    for word in text.split():
        kinds = [_letter_kind(char) for char in word]
        word_latin, word_other = kinds.count("latin"), kinds.count("other")
        latin += word_latin
        other += word_other
        other_words += word_other > 0
        latin_words += word_latin > 0 and not word_other
    if not latin + other:
        return 1.0
    return max(latin / (latin + other), latin_words / (latin_words + other_words))


def other_script_runs(text: str) -> list[tuple[int, int]]:
    """Spans of runs of other-script words separated only by white space."""
    if text.isascii():
        return []
    runs: list[tuple[int, int]] = []
    start = end = -1
    i, n = 0, len(text)
    while i < n:
        if _letter_kind(text[i]) != "other":
            i += 1
            continue
        j = i + 1
        while j < n:
            kind = _letter_kind(text[j])
            joined = text[j] in _INNER and j + 1 < n and _letter_kind(text[j + 1]) == "other"
            if kind not in ("other", "mark") and not joined:
                break
            j += 1
        if start >= 0 and text[end:i].isspace():
            end = j  # the next word of the same run
        else:
            if start >= 0:
                runs.append((start, end))
            start, end = i, j
        i = j
    if start >= 0:
        runs.append((start, end))
    return [
        (s, e)
        for s, e in runs
        if sum(_letter_kind(c) == "other" for c in text[s:e]) >= 2
        or any(_is_block(c) for c in text[s:e])
    ]


def find(text: str) -> list[tuple[int, int, str]]:
    """(start, end, entity type) of every other-script run in ``text``."""
    runs = other_script_runs(text)
    if not runs:
        return []
    kind = "PERSON" if latin_share(text) >= LATIN_SHARE else OTHER_SCRIPT
    return [(start, end, kind) for start, end in runs]


class OtherScriptRecognizer(EntityRecognizer):
    """Runs of words in a non-Latin script: ``PERSON`` in a Latin-script answer, else
    ``OTHER_SCRIPT`` (see the module's docstring)."""

    NAME = "other_script.v1"
    SCORE = 0.6

    def __init__(self, protected: ProtectedTerms | None = None) -> None:
        self.protected = protected or ProtectedTerms()
        super().__init__(
            supported_entities=["PERSON", OTHER_SCRIPT], name=self.NAME, supported_language="en"
        )

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        pattern = {"PERSON": "other_script", OTHER_SCRIPT: "other_script_answer"}
        return [
            recogniser_result(self, kind, start, end, self.SCORE, pattern[kind])
            for start, end, kind in find(text)
            if (not entities or kind in entities)
            and not self.protected.is_protected(text[start:end])
        ]
