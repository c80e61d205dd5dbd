"""Recognisers for UK and NHS identifiers, in a registry users can extend.

>>> from lived_experience.anonymise.recognisers import registered_recognisers
>>> "nhs_number.v1" in registered_recognisers()
True
"""

from lived_experience.anonymise.recognisers.registry import (
    DEFAULT_RECOGNISERS,
    RecogniserOptions,
    build_recogniser,
    register_recogniser,
    registered_recognisers,
)

__all__ = [
    "DEFAULT_RECOGNISERS",
    "RecogniserOptions",
    "build_recogniser",
    "register_recogniser",
    "registered_recognisers",
]
