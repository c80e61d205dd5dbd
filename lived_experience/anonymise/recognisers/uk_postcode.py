"""UK postcodes (outward and inward code, with or without the space, any case)."""

from __future__ import annotations

from lived_experience.anonymise.recognisers.base import RegexRecognizer


class PostcodeRecognizer(RegexRecognizer):
    ENTITY = "UK_POSTCODE"
    NAME = "uk_postcode.v1"
    PATTERNS = (
        ("postcode", r"(?i)\b((?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2})\b", 0.75, 1),
    )
