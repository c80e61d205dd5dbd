"""NHS numbers: ten digits, spaced 3-3-4 or not, with a Modulus 11 check digit.

About one random ten-digit string in eleven passes the check, so numbers near the words
"NHS" or "patient" score higher; all valid ones are reported (recall before precision).
"""

from __future__ import annotations

import re

from lived_experience.anonymise.recognisers.base import RegexRecognizer


def nhs_number_is_valid(value: str) -> bool:
    """Modulus 11 check of an NHS number (separators ignored).

    >>> nhs_number_is_valid("943 476 5919")
    True
    >>> nhs_number_is_valid("943 476 5918")
    False
    """
    digits = re.sub(r"\D", "", value)
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


class NhsNumberRecognizer(RegexRecognizer):
    ENTITY = "NHS_NUMBER"
    NAME = "nhs_number.v1"
    PATTERNS = (
        (
            "nhs_context",
            r"(?i:\bNHS\s*(?:no\.?|number|num)?\s*[:#]?\s*)(\d{3}[ -]?\d{3}[ -]?\d{4})(?!\d)",
            1.0,
            1,
        ),
        ("nhs_spaced", r"(?<![\d-])(\d{3}[ -]\d{3}[ -]\d{4})(?![\d-])", 0.85, 1),
        ("nhs_plain", r"(?<!\d)(\d{10})(?!\d)", 0.7, 1),
    )

    def validate(self, value: str) -> bool:
        return nhs_number_is_valid(value)
