"""UK phone numbers: mobile, London, geographic with brackets, +44 with or without (0).

Format-based rather than validity-based: libphonenumber rejects Ofcom's drama ranges and
Presidio's default region "UK" (libphonenumber wants "GB") silently misses UK numbers.
"""

from __future__ import annotations

import re

from lived_experience.anonymise.recognisers.base import RegexRecognizer


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
