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

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from presidio_analyzer import EntityRecognizer

from lived_experience.anonymise.protected import ProtectedTerms
from lived_experience.anonymise.recognisers.contact import (
    OfflineEmailRecognizer,
    OfflineUrlRecognizer,
    SocialHandleRecognizer,
)
from lived_experience.anonymise.recognisers.dates import SpecificDateRecognizer
from lived_experience.anonymise.recognisers.long_number import LongNumberRecognizer
from lived_experience.anonymise.recognisers.model_places import ModelPlaceRecognizer
from lived_experience.anonymise.recognisers.national_insurance import NationalInsuranceRecognizer
from lived_experience.anonymise.recognisers.nhs_number import NhsNumberRecognizer
from lived_experience.anonymise.recognisers.nhs_places import (
    NhsOrganisationRecognizer,
    NhsPlaceListRecognizer,
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
from lived_experience.anonymise.recognisers.uk_phone import (
    InternationalPhoneRecognizer,
    UkPhoneRecognizer,
)
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
    InternationalPhoneRecognizer,
    NationalInsuranceRecognizer,
    LongNumberRecognizer,
    GmcNumberRecognizer,
    NmcPinRecognizer,
    StaffIdRecognizer,
    OfflineEmailRecognizer,
    OfflineUrlRecognizer,
    SocialHandleRecognizer,
    SpecificDateRecognizer,
    NhsOrganisationRecognizer,
    NhsSiteRecognizer,
    NhsPlaceListRecognizer,
    RegistrationNearCueRecognizer,
    PlaceRecognizer,
):
    register_recogniser(_cls.NAME)(_without_options(_cls))


@register_recogniser(ModelPlaceRecognizer.NAME)
def _model_places(options: RecogniserOptions) -> EntityRecognizer:
    return ModelPlaceRecognizer(options.protected)


@register_recogniser(PersonNameRecognizer.NAME)
def _person_names(options: RecogniserOptions) -> EntityRecognizer:
    return PersonNameRecognizer(options.protected, options.gazetteer, options.use_gazetteer)


# Presidio's own checked patterns for bank and network identifiers: rare in staff answers,
# but an identifier all the same when someone pastes one (Luhn check for cards, the IBAN
# checksum, well-formed IPv4/IPv6 addresses). Each is tried only on a text with something its
# patterns need (a cheap search first: Presidio's IBAN pattern alone cost about 3% of the
# whole anonymiser's time on answers that hold no number at all).
_CARD_NEEDS = re.compile(r"\d{4}[- ]?\d{3}")  # every card pattern opens with 4 digits, then 3+
_IBAN_NEEDS = re.compile(r"[A-Z]{2}[ -]?\d{2}")  # country code + check digits (upper case)
_IP_NEEDS = re.compile(r"\d\.\d{1,3}\.|:[0-9A-Fa-f]{0,4}:")  # IPv4 dots, IPv6 colons


def _prefiltered(recogniser: EntityRecognizer, needs: re.Pattern[str]) -> EntityRecognizer:
    """``recogniser``, answering nothing at once for a text where ``needs`` finds nothing."""
    analyze = recogniser.analyze

    def cheap_first(text: str, entities: list[str], nlp_artifacts: object = None) -> list[Any]:
        if not needs.search(text):
            return []
        return analyze(text, entities, nlp_artifacts)  # type: ignore[arg-type,no-any-return]

    recogniser.analyze = cheap_first  # type: ignore[method-assign,assignment]
    return recogniser


@register_recogniser("credit_card.v1")
def _credit_card(options: RecogniserOptions) -> EntityRecognizer:
    from presidio_analyzer.predefined_recognizers import CreditCardRecognizer

    return _prefiltered(CreditCardRecognizer(name="credit_card.v1"), _CARD_NEEDS)


@register_recogniser("iban.v1")
def _iban(options: RecogniserOptions) -> EntityRecognizer:
    from presidio_analyzer.predefined_recognizers import IbanRecognizer

    return _prefiltered(IbanRecognizer(name="iban.v1"), _IBAN_NEEDS)


@register_recogniser("ip_address.v1")
def _ip_address(options: RecogniserOptions) -> EntityRecognizer:
    from presidio_analyzer.predefined_recognizers import IpRecognizer

    return _prefiltered(IpRecognizer(name="ip_address.v1"), _IP_NEEDS)


@register_recogniser(OtherScriptRecognizer.NAME)
def _other_scripts(options: RecogniserOptions) -> EntityRecognizer:
    return OtherScriptRecognizer(options.protected)


DEFAULT_RECOGNISERS: tuple[str, ...] = tuple(registered_recognisers())
