"""UK phone numbers: mobile, London, geographic with brackets, +44 with or without (0).

Format-based rather than validity-based: libphonenumber rejects Ofcom's drama ranges and
Presidio's default region "UK" (libphonenumber wants "GB") silently misses UK numbers.
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from lived_experience.anonymise.recognisers.base import RegexRecognizer, recogniser_result


class UkPhoneRecognizer(RegexRecognizer):
    ENTITY = "PHONE_NUMBER"
    NAME = "uk_phone.v1"
    PATTERNS = (
        (
            "uk_phone",
            r"(?<![\w+])((?:\+44[ -]?(?:\(0\)[ -]?)?|\(?0)\d{2,4}\)?[ -]?\d{3,4}[ -]?\d{3,4})(?![\w])",
            0.8,
            1,
        ),
    )

    def validate(self, value: str) -> bool:
        digits = re.sub(r"\D", "", value)
        if digits.startswith("44"):
            digits = digits[2:]
            if digits.startswith("0"):
                digits = digits[1:]
        elif digits.startswith("0"):
            digits = digits[1:]
        else:
            return False
        return len(digits) in (9, 10) and digits[0] in "1235789"


#: some of the countries of the NHS workforce (a subset of the name benchmark's 31) and the
#: US, as libphonenumber regions: a number written the way it is written at home is found
#: too; a number written with its "+" country code is found whatever the region. Each region
#: costs a pass over the text, so the list is kept short (a user can subclass with more).
WORKFORCE_REGIONS = (
    "GB", "IN", "PH", "NG", "IE", "ZW", "GH", "PK", "KE", "ZA", "PL", "RO", "PT", "ES", "IT",
    "US",
)  # fmt: skip
#: a run of digits and the separators libphonenumber allows between them ("+44 (0)20 7946-0958",
#: "555.123.4567"): a text is given to libphonenumber only if one such run has 7+ digits
_NUMBER_RUN = re.compile(r"\+?\(?\d[\d\s().\-/~\u2010-\u2015\u2212]{5,}\d")


class InternationalPhoneRecognizer(EntityRecognizer):
    """Phone numbers of any of :data:`WORKFORCE_REGIONS`, checked valid by libphonenumber
    (Presidio's ``PhoneRecognizer``), tried only when a text has a run of seven digits or more
    (separators allowed)."""

    NAME = "phone_international.v1"

    def __init__(self) -> None:
        from presidio_analyzer.predefined_recognizers import PhoneRecognizer

        self._phone = PhoneRecognizer(supported_regions=WORKFORCE_REGIONS, name=self.NAME)
        super().__init__(
            supported_entities=["PHONE_NUMBER"], name=self.NAME, supported_language="en"
        )

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if entities and "PHONE_NUMBER" not in entities:
            return []
        if not any(sum(c.isdigit() for c in m.group()) >= 7 for m in _NUMBER_RUN.finditer(text)):
            return []
        return [
            recogniser_result(self, "PHONE_NUMBER", r.start, r.end, r.score, "libphonenumber")
            for r in self._phone.analyze(text, ["PHONE_NUMBER"], nlp_artifacts)  # type: ignore[arg-type]
        ]
