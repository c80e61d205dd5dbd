"""Anonymise free text: UK and NHS identifiers out, research descriptors kept.

>>> from lived_experience.anonymise import Anonymiser, AnonymiserSettings
"""

from lived_experience.anonymise.detection import Detection
from lived_experience.anonymise.engine import ENTITY_COLUMNS, AnonymisedFrame, Anonymiser
from lived_experience.anonymise.settings import (
    DEFAULT_ENTITIES,
    STRUCTURED_ENTITIES,
    AnonymiserSettings,
)
from lived_experience.anonymise.stage import (
    AnonymiseResult,
    AnonymiseSettings,
    check_text_columns,
    run,
)

__all__ = [
    "DEFAULT_ENTITIES",
    "ENTITY_COLUMNS",
    "STRUCTURED_ENTITIES",
    "AnonymiseResult",
    "AnonymiseSettings",
    "AnonymisedFrame",
    "Anonymiser",
    "AnonymiserSettings",
    "Detection",
    "check_text_columns",
    "run",
]
