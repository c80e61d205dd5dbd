"""Typed, validated anonymisation settings (a typo fails loudly, naming the field)."""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel, ConfigDict, Field, field_validator

from lived_experience.anonymise.recognisers import DEFAULT_RECOGNISERS, registered_recognisers

#: Entity types detected by default, in merge priority order (first wins on overlap).
DEFAULT_ENTITIES: tuple[str, ...] = (
    "NHS_NUMBER",
    "UK_NINO",
    "GMC_NUMBER",
    "NMC_PIN",
    "STAFF_ID",
    "REGISTRATION_NUMBER",
    "EMAIL_ADDRESS",
    "URL",
    "SOCIAL_HANDLE",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
    "PHONE_NUMBER",
    "UK_POSTCODE",
    "LONG_NUMBER",
    "NHS_ORGANISATION",
    "NHS_SITE",
    "OTHER_SCRIPT",
    "PERSON",
    "UK_PLACE",
    "DATE",
)
#: Entity types that are structured identifiers (the zero-leak target of the benchmark).
STRUCTURED_ENTITIES: tuple[str, ...] = (
    "NHS_NUMBER",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "UK_POSTCODE",
    "UK_NINO",
    "GMC_NUMBER",
    "NMC_PIN",
    "STAFF_ID",
    "REGISTRATION_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
    "LONG_NUMBER",
)


class AnonymiserSettings(BaseModel):
    """Everything that decides what the anonymiser removes and how.

    Examples
    --------
    >>> AnonymiserSettings(operator="redact").operator
    'redact'
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    spacy_model: str | None = Field(
        None,
        description="spaCy package or folder; None = $LIVED_EXPERIENCE_SPACY_MODEL or "
        "en_core_web_md",
    )
    use_ner: bool = Field(True, description="use spaCy's named-entity recogniser for names")
    recognisers: tuple[str, ...] = DEFAULT_RECOGNISERS
    entities: tuple[str, ...] = DEFAULT_ENTITIES
    operator: str = "pseudonym.v1"
    score_threshold: float = Field(0.3, ge=0.0, le=1.0)
    allow_list: tuple[str, ...] = Field((), description="values never removed (public figures)")
    deny_list: tuple[str, ...] = Field((), description="values always removed, wherever found")
    use_gazetteer: bool = True
    gazetteer_files: tuple[str, ...] = ()
    tag_length: int = Field(6, ge=4, le=16)
    batch_size: int = Field(128, ge=1)
    n_process: int = Field(1, ge=1)
    flag_indirect: bool = Field(True, description="flag self-identifying phrases for review")
    other_scripts: bool = Field(
        True,
        description="replace words in a non-Latin script: as PERSON inside an English answer, "
        "as OTHER_SCRIPT in an answer written mostly in another script (other_script.v1)",
    )

    @field_validator("recognisers")
    @classmethod
    def _known_recognisers(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [v for v in value if v not in registered_recognisers()]
        if unknown:
            raise ValueError(
                f"unknown recogniser(s) {', '.join(unknown)}; available: "
                f"{', '.join(registered_recognisers())}"
            )
        return value

    def fingerprint(self) -> str:
        """A short hash of every setting that changes the output (for checkpoints, manifests)."""
        payload = self.model_dump(exclude={"batch_size", "n_process"})
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]
