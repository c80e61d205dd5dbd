"""The recogniser registry: versioned names to factories.

A factory takes :class:`RecogniserOptions` and returns a Presidio ``EntityRecognizer``.
Register your own with :func:`register_recogniser`::

    @register_recogniser("hospital_numbers.v1")
    def hospital_numbers(options):
        return MyHospitalNumberRecognizer()

or from another package with an entry point in the ``lived_experience.recognisers`` group.
The built-in recognisers are listed explicitly at the end of this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from presidio_analyzer import EntityRecognizer

from lived_experience.anonymise.protected import ProtectedTerms
from lived_experience.anonymise.recognisers.contact import (
    OfflineEmailRecognizer,
    OfflineUrlRecognizer,
    SocialHandleRecognizer,
)
from lived_experience.anonymise.recognisers.dates import SpecificDateRecognizer
from lived_experience.anonymise.recognisers.national_insurance import NationalInsuranceRecognizer
from lived_experience.anonymise.recognisers.nhs_number import NhsNumberRecognizer
from lived_experience.anonymise.recognisers.nhs_places import (
    NhsOrganisationRecognizer,
    NhsSiteRecognizer,
)
from lived_experience.anonymise.recognisers.other_script import OtherScriptRecognizer
from lived_experience.anonymise.recognisers.person_names import PersonNameRecognizer
from lived_experience.anonymise.recognisers.places import PlaceRecognizer
from lived_experience.anonymise.recognisers.professional_registration import (
    GmcNumberRecognizer,
    NmcPinRecognizer,
    RegistrationNearCueRecognizer,
)
from lived_experience.anonymise.recognisers.staff_id import StaffIdRecognizer
from lived_experience.anonymise.recognisers.uk_phone import UkPhoneRecognizer
from lived_experience.anonymise.recognisers.uk_postcode import PostcodeRecognizer
from lived_experience.registry import Registry


@dataclass(frozen=True)
class RecogniserOptions:
    """What a recogniser factory may need."""

    protected: ProtectedTerms = field(default_factory=ProtectedTerms)
    use_gazetteer: bool = True
    gazetteer: dict[str, str] | None = None


RecogniserFactory = Callable[[RecogniserOptions], EntityRecognizer]


def _without_options(cls: Callable[[], EntityRecognizer]) -> RecogniserFactory:
    """A factory for a pattern recogniser that needs no options."""

    def factory(options: RecogniserOptions) -> EntityRecognizer:
        return cls()

    return factory


RECOGNISERS: Registry[RecogniserFactory] = Registry(
    "recogniser", entry_point_group="lived_experience.recognisers"
)


def register_recogniser(name: str) -> Callable[[RecogniserFactory], RecogniserFactory]:
    """Decorator: register a recogniser factory under a versioned ``name``."""
    return RECOGNISERS.register(name)


def registered_recognisers() -> list[str]:
    """Names of every registered recogniser, sorted."""
    return RECOGNISERS.names()


def build_recogniser(name: str, options: RecogniserOptions) -> EntityRecognizer:
    """Build the recogniser registered as ``name``."""
    return RECOGNISERS.get(name)(options)


for _cls in (
    NhsNumberRecognizer,
    UkPhoneRecognizer,
    PostcodeRecognizer,
    NationalInsuranceRecognizer,
    GmcNumberRecognizer,
    NmcPinRecognizer,
    StaffIdRecognizer,
    OfflineEmailRecognizer,
    OfflineUrlRecognizer,
    SocialHandleRecognizer,
    SpecificDateRecognizer,
    NhsOrganisationRecognizer,
    NhsSiteRecognizer,
    RegistrationNearCueRecognizer,
    PlaceRecognizer,
):
    register_recogniser(_cls.NAME)(_without_options(_cls))


@register_recogniser(PersonNameRecognizer.NAME)
def _person_names(options: RecogniserOptions) -> EntityRecognizer:
    return PersonNameRecognizer(options.protected, options.gazetteer, options.use_gazetteer)


@register_recogniser(OtherScriptRecognizer.NAME)
def _other_scripts(options: RecogniserOptions) -> EntityRecognizer:
    return OtherScriptRecognizer(options.protected)


DEFAULT_RECOGNISERS: tuple[str, ...] = tuple(registered_recognisers())
