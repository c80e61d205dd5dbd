"""No code is a real answer: sentences that only describe who or where someone is.

A sentence such as "I am a band 6 physiotherapist." or "I work nights on a surgical ward."
states a role, band, shift or place and says nothing about experience; a sentence such as
"Staffing is a problem across the whole hospital." is about something the codebook does not
cover. Coders built on similarity give every sentence *some* score for every code, so without
a gate such sentences get codes. Two checks, both cheap:

* :func:`is_descriptive_only` -- a small grammar of self-descriptions (``I am a ...``,
  ``I work on/in ...``, ``I have worked here for ...``) with no evaluative word in them;
* :data:`NO_CODE_EXAMPLES` -- sentences that should get no code, used as prototypes of "no
  code" by the embedding and hybrid coders (a sentence nearer to them than to a code's own
  definition and examples is left uncoded) and as negative examples by the few-shot coder.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

NO_CODE_EXAMPLES: tuple[str, ...] = (
    "I am a band 6 physiotherapist.",
    "I am a staff nurse on nights.",
    "I work as a healthcare assistant on a surgical ward.",
    "I have worked in the NHS for twelve years.",
    "I am a band 5 nurse in the emergency department.",
    "I work part time in outpatients.",
    "I am a consultant anaesthetist.",
    "I work day shifts in the community team.",
    "I joined the trust last year as a porter.",
    "I am a junior doctor on rotation.",
    "I work in pharmacy at the main hospital site.",
    "My role is in estates and facilities.",
    "Staffing is a problem across the whole hospital.",
    "The car park is always full.",
    "The canteen food could be better.",
    "The IT systems are slow and the computers crash.",
    "We need more beds in winter.",
    "Parking costs too much.",
    "The building needs repairs.",
    "Patients wait too long in the emergency department.",
    "Nothing to add.",
    "No further comments.",
)

_SELF = (
    r"(?:i\s*(?:am|'m)|i\s+work(?:ed)?|i\s+have\s+(?:been|worked)|i've\s+(?:been|worked)"
    r"|my\s+(?:role|job|post)\s+is|i\s+joined)"
)
_DESCRIPTIVE = re.compile(rf"^\s*{_SELF}\b", re.IGNORECASE)
# Words that carry experience: any of them means the sentence is not descriptive only.
_EVALUATIVE = re.compile(
    r"\b(?:not?|never|only|because|but|although|though|feel|felt|feeling|treated|told|"
    r"bull\w*|harass\w*|discriminat\w*|racis\w*|unfair\w*|fair\w*|overlook\w*|passed|ignored|"
    r"excluded|support\w*|help\w*|promot\w*|progress\w*|career|stuck|tired|stress\w*|anxious|"
    r"exhaust\w*|burn\w*|leave|leaving|quit|afraid|scared|worr\w*|proud|valued|respect\w*|"
    r"happy|unhappy|sad|angry|upset|difficult|hard|struggl\w*|good|bad|great|poor|better|"
    r"worse|always|despite|even|still|token\w*|diversity|equal\w*|inclus\w*|minority|black|"
    r"asian|white|colour|race|ethnic\w*|accent|culture|shout\w*|abus\w*|patients?\s+(?:say|said|refuse\w*)|"
    r"refus\w*|complain\w*|report\w*|speak\s+up|listen\w*|manager|lead\w*|ally|allies)\b",
    re.IGNORECASE,
)


def is_descriptive_only(sentence: str) -> bool:
    """True for a sentence that only states a role, band, shift, place or length of service.

    >>> is_descriptive_only("I am a band 6 physiotherapist.")
    True
    >>> is_descriptive_only("I am a band 6 nurse but I have been passed over for promotion.")
    False
    """
    text = sentence.strip()
    if not _DESCRIPTIVE.match(text) or len(text.split()) > 18:
        return False
    return not _EVALUATIVE.search(text)


def descriptive_mask(sentences: Sequence[str]) -> np.ndarray:
    """:func:`is_descriptive_only` for every sentence, as a boolean array."""
    return np.array([is_descriptive_only(s) for s in sentences], dtype=bool)
