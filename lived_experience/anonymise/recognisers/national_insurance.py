"""National Insurance numbers: two prefix letters, six digits, a suffix A-D.

Presidio's pattern accepts a leading space that defeats its own prefix check; this one
anchors the prefix and excludes the letters and pairs HMRC never issues.
"""

from __future__ import annotations

import re

from lived_experience.anonymise.recognisers.base import RegexRecognizer

_BANNED_PREFIXES = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}


class NationalInsuranceRecognizer(RegexRecognizer):
    ENTITY = "UK_NINO"
    NAME = "uk_nino.v1"
    FLAGS = re.IGNORECASE
    PATTERNS = (
        ("nino", r"\b([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D])\b", 0.85, 1),
    )

    def validate(self, value: str) -> bool:
        return value[:2].upper() not in _BANNED_PREFIXES
