"""Specific dates (a day, not just a month or a year): 14/03/2023, 3rd of June, June 3rd 2022.

Years alone ("in 2019") and months alone ("last March") are kept: they rarely identify
anyone and they carry the research's time line.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from lived_experience.anonymise.recognisers.base import RegexRecognizer, drop_nested

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_WEEKDAY = (
    r"(?:(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|Mon|Tue|Tues|Wed|Weds|Thu|Thur|Thurs|"
    r"Fri|Sat|Sun)\.?,?\s+)"
)
_ORDINAL_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)"


class SpecificDateRecognizer(RegexRecognizer):
    ENTITY = "DATE"
    NAME = "specific_date.v1"
    FLAGS = re.IGNORECASE
    PATTERNS = (
        (
            "numeric",
            r"\b((?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|1[0-2])[/.-](?:19|20)?\d{2})\b",
            0.8,
            1,
        ),
        (
            "iso",  # with the time of day when it is given: "2005-04-12 13:45:31"
            r"\b((?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
            r"(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,6})?)?)?)\b",
            0.8,
            1,
        ),
        (
            "numeric_month_first",  # "3/29/1982": a day over 12 in second place
            r"\b((?:0?[1-9]|1[0-2])[/.-](?:1[3-9]|2\d|3[01])[/.-](?:19|20)?\d{2})\b",
            0.75,
            1,
        ),
        (
            "day_month",
            rf"\b({_WEEKDAY}?(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}\b(?:,?\s+(?:19|20)\d{{2}})?)",
            0.75,
            1,
        ),
        (
            "weekday_ordinal",  # "Thurs 9th", "on Tuesday the 3rd"
            rf"\b({_WEEKDAY}(?:the\s+)?{_ORDINAL_DAY})\b",
            0.65,
            1,
        ),
        (
            "month_day",
            rf"\b({_WEEKDAY}?{_MONTH}\s+(?:the\s+)?{_DAY}\b(?:,?\s+(?:19|20)\d{{2}})?)",
            0.7,
            1,
        ),
    )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        return drop_nested(super().analyze(text, entities, nlp_artifacts))
