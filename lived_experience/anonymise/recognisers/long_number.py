"""A run of twelve to nineteen digits: a card, account, policy or reference number.

Longer than any UK phone (11 digits) or NHS number (10), it is never research content in a
staff survey answer; whatever it is, it goes ("my card 2713745299124192", "account 4401 6400
5242 7868 016").
"""

from __future__ import annotations

from lived_experience.anonymise.recognisers.base import RegexRecognizer


class LongNumberRecognizer(RegexRecognizer):
    ENTITY = "LONG_NUMBER"
    NAME = "long_number.v1"
    PATTERNS = (("long_number", r"(?<![\w.])(\d(?:[ -]?\d){11,18})(?![\w])", 0.6, 1),)
