"""UK postcodes (outward and inward code, with or without the space, any case), and any
postal code right after the word for one ("zip code is 5000-047", "postcode: 2544 LP")."""

from __future__ import annotations

from lived_experience.anonymise.recognisers.base import RegexRecognizer


class PostcodeRecognizer(RegexRecognizer):
    ENTITY = "UK_POSTCODE"
    NAME = "uk_postcode.v1"
    PATTERNS = (
        ("postcode", r"(?i)\b((?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2})\b", 0.75, 1),
        (
            "after_cue",
            r"(?i)\b(?:zip|zip\s+code|postcode|post\s+code|postal\s+code|eircode)\b\s*"
            r"(?:is\s+|was\s+|[:#-]\s*)?((?=[A-Z]{0,3}\d)[A-Z0-9]{2,8}(?:[ -][A-Z0-9]{2,4})?)\b",
            0.7,
            1,
        ),
    )
    NEEDS = {"after_cue": ("zip", "post", "eircode")}
