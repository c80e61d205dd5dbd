"""Staff, employee, payroll, ESR and assignment numbers, found by their context words."""

from __future__ import annotations

from lived_experience.anonymise.recognisers.base import RegexRecognizer


class StaffIdRecognizer(RegexRecognizer):
    ENTITY = "STAFF_ID"
    NAME = "staff_id.v1"
    PATTERNS = (
        (
            "staff_id_context",
            r"(?i:\b(?:staff|employee|payroll|ESR|assignment|personnel|badge)\s*"
            r"(?:id|no|number|num|ref|reference|#)?\.?\s*(?:is|was|:|-)?\s*)"
            r"([A-Z]{0,3}\d{5,10})\b",
            0.9,
            1,
        ),
        # ESR and most trust payroll numbers are eight digits; other eight-digit numbers are
        # rare in free text, and a context word is often misspelt, so take them all.
        ("eight_digits", r"(?<![\d+-])(?<!\d )([1-9]\d{7})(?![\d-])(?! \d)", 0.5, 1),
        ("letter_seven_digits", r"\b([A-Z]\d{7})\b", 0.6, 1),
    )
