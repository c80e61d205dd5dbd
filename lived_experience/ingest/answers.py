"""What counts as an answer: text a respondent wrote, not a blank, a dash or "N/A"."""

from __future__ import annotations

import re

_HAS_WORDS = re.compile(r"[^\W\d_]{2}")
#: placeholder answers; "did not answer" is what one NHS FFT export writes for a blank
EMPTY_ANSWERS = frozenset(
    {
        "n/a",
        "na",
        "none",
        "no",
        "nil",
        "no comment",
        "nothing",
        "not applicable",
        "did not answer",
        "not answered",
    }
)


def is_answer(text: object) -> bool:
    """True for text a respondent wrote; False for blanks, dashes and "N/A"-style answers.

    >>> [is_answer(t) for t in ["Parking is awful.", "N/A", " - ", None, "no comment"]]
    [True, False, False, False, False]
    """
    if not isinstance(text, str):
        return False
    stripped = text.strip().strip(".!").lower()
    return bool(_HAS_WORDS.search(stripped)) and stripped not in EMPTY_ANSWERS
