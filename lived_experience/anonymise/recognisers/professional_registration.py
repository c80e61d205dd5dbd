"""Professional registration numbers: GMC (doctors) and NMC PINs (nurses, midwives).

A GMC number is seven digits, so it is only taken near "GMC" (a bare seven-digit number is
too often something else). An NMC PIN (two digits, a letter, four digits, a letter) is
distinctive enough to take anywhere.
"""

from __future__ import annotations

from lived_experience.anonymise.recognisers.base import RegexRecognizer


class GmcNumberRecognizer(RegexRecognizer):
    ENTITY = "GMC_NUMBER"
    NAME = "gmc_number.v1"
    PATTERNS = (
        ("gmc_context", r"(?i:\bGMC\b(?:\s+[a-z.#]{1,12}){0,3}\s*[:(]?\s*)(\d{7})(?!\d)", 0.95, 1),
    )


class NmcPinRecognizer(RegexRecognizer):
    ENTITY = "NMC_PIN"
    NAME = "nmc_pin.v1"
    PATTERNS = (("nmc_pin", r"\b(\d{2}[A-Za-z]\d{4}[A-Za-z])\b", 0.9, 1),)
