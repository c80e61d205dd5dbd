"""NHS numbers: ten digits, spaced 3-3-4 or not, with a Modulus 11 check digit.

About one random ten-digit string in eleven passes the check, so numbers near the words
"NHS" or "patient" score higher; all valid ones are reported (recall before precision).
"""

from __future__ import annotations

import re

from lived_experience.anonymise.recognisers.base import RegexRecognizer


def nhs_check_digit(nine_digits: str) -> int | None:
    """Modulus 11 check digit of the first nine digits of an NHS number (None if it is 10).

    The one implementation of the check: the recogniser validates with it, the surrogate
    operator and the synthetic-data generator make valid numbers with it.

    >>> nhs_check_digit("943476591")
    9
    """
    total = sum(int(d) * w for d, w in zip(nine_digits, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


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
    check = nhs_check_digit(digits[:9])
    return check is not None and check == int(digits[9])


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
