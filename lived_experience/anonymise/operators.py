"""What replaces a detected identifier: a registry of operators.

* ``pseudonym.v1`` (default) — a consistent tag, ``[PERSON_3F9A2C]``;
* ``type_tag.v1`` — the type only, ``[PERSON]``;
* ``redact.v1`` — ``[REDACTED]``;
* ``surrogate.v1`` — a realistic invented value of the same kind, chosen by the keyed hash so
  it is consistent too (names from a fixed list, drama-range phone numbers, NHS numbers in the
  999 test range). Surrogates read naturally but are not idempotent: anonymising surrogate
  output again will replace the surrogates.
"""

from __future__ import annotations

from collections.abc import Callable

from lived_experience.anonymise.pseudonyms import PseudonymTagger
from lived_experience.registry import Registry

Operator = Callable[[PseudonymTagger, str, str], str]

_SURROGATE_FIRST = (
    "Alex",
    "Sam",
    "Jordan",
    "Taylor",
    "Morgan",
    "Casey",
    "Robin",
    "Jamie",
    "Avery",
    "Riley",
    "Quinn",
    "Rowan",
)
_SURROGATE_LAST = (
    "Smith",
    "Okoro",
    "Khan",
    "Chen",
    "Nowak",
    "Reyes",
    "Murphy",
    "Haddad",
    "Campbell",
    "Patel",
    "Mensah",
    "Kowalski",
)


def _pseudonym(tagger: PseudonymTagger, entity_type: str, value: str) -> str:
    return tagger.tag(entity_type, value)


def _type_tag(tagger: PseudonymTagger, entity_type: str, value: str) -> str:
    return f"[{entity_type}]"


def _redact(tagger: PseudonymTagger, entity_type: str, value: str) -> str:
    return "[REDACTED]"


def _surrogate(tagger: PseudonymTagger, entity_type: str, value: str) -> str:
    n = int(tagger.digest(entity_type, value)[:12], 16)
    if entity_type == "PERSON":
        first = _SURROGATE_FIRST[n % len(_SURROGATE_FIRST)]
        last = _SURROGATE_LAST[(n // 97) % len(_SURROGATE_LAST)]
        return f"{first} {last}" if " " in value.strip() else first
    if entity_type == "PHONE_NUMBER":
        return f"07700 900{n % 1000:03d}"
    if entity_type == "NHS_NUMBER":
        from lived_experience.anonymise.recognisers.nhs_number import nhs_check_digit

        for k in range(1000):
            body = f"999{(n + k) % 1_000_000:06d}"
            check = nhs_check_digit(body)
            if check is not None:
                return f"{body[:3]} {body[3:6]} {body[6:]}{check}"
    if entity_type == "EMAIL_ADDRESS":
        return f"person{n % 10000:04d}@example.org"
    if entity_type == "UK_POSTCODE":
        return "ZZ99 3CZ"  # the NHS pseudo-postcode for 'address not known'
    return f"[{entity_type}]"


OPERATORS: Registry[Operator] = Registry(
    "operator",
    entry_point_group="lived_experience.operators",
    aliases={
        "pseudonym": "pseudonym.v1",
        "tag": "type_tag.v1",
        "type_tag": "type_tag.v1",
        "redact": "redact.v1",
        "surrogate": "surrogate.v1",
    },
)
OPERATORS.register("pseudonym.v1", _pseudonym)
OPERATORS.register("type_tag.v1", _type_tag)
OPERATORS.register("redact.v1", _redact)
OPERATORS.register("surrogate.v1", _surrogate)


def register_operator(name: str, operator: Operator) -> None:
    """Add an operator under a versioned name such as ``"my_operator.v1"``."""
    OPERATORS.register(name, operator)


def get_operator(name: str) -> Operator:
    """Look up an operator by name (``pseudonym``, ``redact``... or a versioned name)."""
    return OPERATORS.get(name)
