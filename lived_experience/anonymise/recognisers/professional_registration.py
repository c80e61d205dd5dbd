"""Professional registration numbers: GMC (doctors) and NMC PINs (nurses, midwives).

A GMC number is seven digits, so it is only taken near "GMC" (a bare seven-digit number is
too often something else). An NMC PIN (two digits, a letter, four digits, a letter) is
distinctive enough to take anywhere.
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from lived_experience.anonymise.recognisers.base import RegexRecognizer, recogniser_result


class GmcNumberRecognizer(RegexRecognizer):
    ENTITY = "GMC_NUMBER"
    NAME = "gmc_number.v1"
    PATTERNS = (
        ("gmc_context", r"(?i:\bGMC\b(?:\s+[a-z.#]{1,12}){0,3}\s*[:(]?\s*)(\d{7})(?!\d)", 0.95, 1),
    )


class NmcPinRecognizer(RegexRecognizer):
    ENTITY = "NMC_PIN"
    NAME = "nmc_pin.v1"
    PATTERNS = (("nmc_pin", r"\b(\d{2}[A-Za-z]\d{4}[A-Za-z])\b", 0.9, 1),)


#: words that say a number nearby is a registration or staff number
_CUE = re.compile(
    r"(?i)\b(?:GMC|NMC|HCPC|GPhC|GDC|PIN|registration|registered|reg(?:\.|istration)?\s*(?:no|number)"
    r"|my\s+number|number\s+is|number['’]s|staff\s+(?:number|no|id)|employee\s+(?:number|no|id)"
    r"|payroll|ESR|badge|smartcard|assignment\s+number)\b"
)
#: a run of six or more digits (spaces inside allowed), or a registration-like code
_NUMBER = re.compile(
    r"(?<![\w/+-])((?:\d[ -]?){5,11}\d|[A-Z]{1,3}\d{5,9}|\d{2}[A-Za-z]\d{4}[A-Za-z])(?![\w/-])"
)
_SENTENCE_END = re.compile(r"[.!?\n]+\s")


class RegistrationNearCueRecognizer(EntityRecognizer):
    """A 6+ digit run or registration-like code within two sentences of a registration cue.

    "...reported me to the GMC. Anyway, my number's 7025568": the cue and the number need
    not be next to each other, but a cue only covers its own sentence and the two either
    side, so numbers elsewhere in a long answer are left to the other recognisers.
    """

    ENTITY = "REGISTRATION_NUMBER"
    NAME = "registration_near_cue.v1"
    WINDOW_SENTENCES = 2

    def __init__(self) -> None:
        super().__init__(supported_entities=[self.ENTITY], name=self.NAME, supported_language="en")

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if entities and self.ENTITY not in entities:
            return []
        cues = [m.start() for m in _CUE.finditer(text)]
        if not cues:
            return []
        bounds = [0, *(m.end() for m in _SENTENCE_END.finditer(text)), len(text) + 1]

        def sentence(position: int) -> int:
            return next(i for i in range(len(bounds) - 1) if position < bounds[i + 1])

        cue_sentences = [sentence(c) for c in cues]
        results = []
        for match in _NUMBER.finditer(text):
            digits = sum(ch.isdigit() for ch in match.group(1))
            if digits < 5 or (digits < 6 and not match.group(1)[0].isalpha()):
                continue
            here = sentence(match.start(1))
            if any(abs(here - c) <= self.WINDOW_SENTENCES for c in cue_sentences):
                results.append(
                    recogniser_result(
                        self, self.ENTITY, match.start(1), match.end(1), 0.8, "near_cue"
                    )
                )
        return results
