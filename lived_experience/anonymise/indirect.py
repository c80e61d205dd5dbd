"""Indirect identifiers: phrases that single a person out without naming them.

"the only Black consultant in cardiology", "the first Asian matron at the trust", "I'm the
only one of us on nights". They are not replaced (they are often the point of the answer)
but flagged as high risk in the review output so a person decides.
"""

from __future__ import annotations

import re

from lived_experience.anonymise.detection import Detection

_PATTERNS = (
    (
        "only_one",
        r"\b(?:the|as the|being the|i'?m the|i am the)\s+only\s+(?:[\w-]+\s+){0,4}?"
        r"(?:[\w-]+)(?:\s+(?:in|at|on|of|within|across)\s+(?:the\s+)?[\w&'-]+(?:\s+[\w&'-]+){0,3})?",
    ),
    (
        "first_one",
        r"\b(?:the|as the|being the|i was the|i am the)\s+first\s+(?:[\w-]+\s+){0,4}?"
        r"(?:[\w-]+)(?:\s+(?:in|at|on|of|within|to)\s+(?:the\s+)?[\w&'-]+(?:\s+[\w&'-]+){0,3})",
    ),
    (
        "only_of",
        r"\bonly\s+(?:one|person|black|asian|ethnic minority)\s+(?:[\w-]+\s+){0,3}?"
        r"(?:in|at|on)\s+(?:the\s+)?[\w&'-]+(?:\s+[\w&'-]+){0,2}",
    ),
)
_COMPILED = [(name, re.compile(p, re.IGNORECASE)) for name, p in _PATTERNS]


def find_indirect_identifiers(text: str) -> list[Detection]:
    """Spans of ``text`` that may identify the writer indirectly (flagged, not replaced).

    >>> text = "I am the only Black consultant in cardiology."
    >>> [d.entity_type for d in find_indirect_identifiers(text)]
    ['INDIRECT_IDENTIFIER']
    """
    found: list[Detection] = []
    for name, regex in _COMPILED:
        for match in regex.finditer(text):
            if any(d.start < match.end() and match.start() < d.end for d in found):
                continue
            found.append(
                Detection(
                    match.start(),
                    match.end(),
                    "INDIRECT_IDENTIFIER",
                    1.0,
                    "indirect_identifier.v1",
                    name,
                )
            )
    return sorted(found, key=lambda d: d.start)
