"""Tables of (text, expected detected values) for every pattern recogniser.

A contract test at the bottom runs over every registered recogniser.
"""

from __future__ import annotations

import pytest

from lived_experience.anonymise.recognisers import (
    RecogniserOptions,
    build_recogniser,
    registered_recognisers,
)
from lived_experience.anonymise.recognisers.nhs_number import nhs_number_is_valid


def found(name: str, text: str) -> list[str]:
    recogniser = build_recogniser(name, RecogniserOptions())
    return sorted(text[r.start : r.end] for r in recogniser.analyze(text, [], None))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("NHS number 943 476 5919 please", ["943 476 5919"]),
        ("patient 9434765919.", ["9434765919"]),
        ("ref 943-476-5919", ["943-476-5919"]),
        ("wrong check digit 943 476 5918", []),
        ("phone 0113 496 0456", []),
        ("all the same 1111111111", []),
    ],
)
def test_nhs_number(text: str, expected: list[str]) -> None:
    assert found("nhs_number.v1", text) == expected


def test_nhs_number_checksum_examples() -> None:
    assert nhs_number_is_valid("401 023 2137") and not nhs_number_is_valid("401 023 2138")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("call 07700 900123 now", ["07700 900123"]),
        ("07700900123", ["07700900123"]),
        ("on +44 7700 900123.", ["+44 7700 900123"]),
        ("London 020 7946 0123", ["020 7946 0123"]),
        ("+44 (0)20 7946 0123", ["+44 (0)20 7946 0123"]),
        ("Leeds (0113) 496 0456", ["(0113) 496 0456"]),
        ("0161-496-0789", ["0161-496-0789"]),
        ("NHS 943 476 5919", []),
        ("band 5 since 2019", []),
    ],
)
def test_uk_phone(text: str, expected: list[str]) -> None:
    assert found("uk_phone.v1", text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I live at LS1 4AB now", ["LS1 4AB"]),
        ("SW1A 1AA", ["SW1A 1AA"]),
        ("lower case m13 9wl", ["m13 9wl"]),
        ("no space B152TH", ["B152TH"]),
        ("band 7 and 8a", []),
    ],
)
def test_uk_postcode(text: str, expected: list[str]) -> None:
    assert found("uk_postcode.v1", text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("NI AB 12 34 56 C", ["AB 12 34 56 C"]),
        ("ni number ab123456c", ["ab123456c"]),
        ("GB123456A is not issued", []),
        ("DA123456A has a bad first letter", []),
    ],
)
def test_national_insurance(text: str, expected: list[str]) -> None:
    assert found("uk_nino.v1", text) == expected


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("gmc_number.v1", "My GMC number is 7123456.", ["7123456"]),
        ("gmc_number.v1", "(GMC 7123456)", ["7123456"]),
        ("gmc_number.v1", "GMC nmuber is 1203606", ["1203606"]),
        ("gmc_number.v1", "ran 7123456 steps", []),
        ("nmc_pin.v1", "NMC PIN 12A3456E", ["12A3456E"]),
        ("nmc_pin.v1", "my pin is 98i0123e", ["98i0123e"]),
        ("staff_id.v1", "staff ID E1234567", ["E1234567"]),
        ("staff_id.v1", "employee nubmer 21010212 and", ["21010212"]),
        ("staff_id.v1", "payroll number: 45678123", ["45678123"]),
    ],
)
def test_professional_and_staff_numbers(name: str, text: str, expected: list[str]) -> None:
    assert found(name, text) == expected


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("email.v1", "write to p.patel@ashvale.nhs.uk today", ["p.patel@ashvale.nhs.uk"]),
        ("email.v1", "KEMI.A+work@gmail.com", ["KEMI.A+work@gmail.com"]),
        (
            "url.v1",
            "see https://www.linkedin.com/in/kemi-adeyemi-123.",
            ["https://www.linkedin.com/in/kemi-adeyemi-123"],
        ),
        ("url.v1", "www.example.org/network", ["www.example.org/network"]),
        ("social_handle.v1", "follow @nurse_kemi12!", ["@nurse_kemi12"]),
        ("social_handle.v1", "a.b@nhs.net", []),
    ],
)
def test_contact_details(name: str, text: str, expected: list[str]) -> None:
    assert found(name, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("suspended on 14 March 2023 without notice", ["14 March 2023"]),
        ("on 14/03/2023", ["14/03/2023"]),
        ("it was the 3rd of June", ["the 3rd of June"]),
        ("June 3rd 2022", ["June 3rd 2022"]),
        ("Tuesday 5th April", ["Tuesday 5th April"]),
        ("in 2019 and last March", []),
    ],
)
def test_specific_dates(text: str, expected: list[str]) -> None:
    assert found("specific_date.v1", text) == expected


@pytest.mark.parametrize(
    "name, text, expected",
    [
        (
            "nhs_organisation.v1",
            "I moved from Ashvale Teaching Hospitals NHS Foundation Trust.",
            ["Ashvale Teaching Hospitals NHS Foundation Trust"],
        ),
        (
            "nhs_organisation.v1",
            "at University Hospitals of Foxmoor NHS Foundation Trust",
            ["University Hospitals of Foxmoor NHS Foundation Trust"],
        ),
        (
            "nhs_organisation.v1",
            "registered at Bramblecote Medical Centre",
            ["Bramblecote Medical Centre"],
        ),
        (
            "nhs_site.v1",
            "Since moving to Ward 7B at Ashvale General Hospital",
            ["Ashvale General Hospital", "Ward 7B"],
        ),
        ("nhs_site.v1", "at St James's for years", ["St James's"]),
        ("nhs_site.v1", "on Rowan Ward and in the Intensive Care Unit", ["Rowan Ward"]),
        ("nhs_site.v1", "the ward manager", []),
    ],
)
def test_nhs_places(name: str, text: str, expected: list[str]) -> None:
    assert found(name, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sister Grace is lovely", ["Grace"]),
        ("Dr Okonjo-Bello ignored me", ["Okonjo-Bello"]),
        ("dr patel said", ["patel"]),
        ("my manager Babatunde shouted", ["Babatunde"]),
        ("a colleague called chukwuemeka", ["chukwuemeka"]),
        ("i told priya patel about it", ["priya patel"]),
        ("Adaeze Nwosu and Siobhan O'Sullivan", ["Adaeze Nwosu", "Siobhan O'Sullivan"]),
        ("Mei Ling Zhang's shift", ["Mei Ling Zhang"]),
        ("I have hope and joy at work", []),
        ("Black nurses and Asian colleagues", []),
        ("The Matron said no", []),
        ("Nurse in charge", []),
        ("Mr White", ["White"]),
    ],
)
def test_person_names(text: str, expected: list[str]) -> None:
    assert found("person_names.v1", text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("My band 7, Thandiwe, shouts at me", ["Thandiwe"]),
        ("The senior sister, oluwakemi, belittles us", ["oluwakemi"]),
        ("My line manager is Zanele Dube and she", ["Zanele Dube"]),
        ("Thanks to chinedu obiora, who chairs it", ["chinedu obiora"]),
        ("I work with Xolani on nights", ["Xolani"]),
        ("Ramil our deputy director mentors me", ["Ramil"]),
        ("my manager said no and my manager refused", []),
        ("a colleague called hannah hartley keeps calling", ["hannah hartley"]),
    ],
)
def test_person_names_from_context_alone(text: str, expected: list[str]) -> None:
    """Names the gazetteer does not know, found only from where they stand."""
    recogniser = build_recogniser("person_names.v1", RecogniserOptions(use_gazetteer=False))
    assert sorted(text[r.start : r.end] for r in recogniser.analyze(text, [], None)) == expected


@pytest.mark.parametrize("name", registered_recognisers())
def test_every_recogniser_honours_the_presidio_contract(name: str) -> None:
    recogniser = build_recogniser(name, RecogniserOptions())
    assert recogniser.supported_entities and recogniser.supported_language == "en"
    text = "Nothing to see here, just Black nurses on band 5."
    for result in recogniser.analyze(text, [], None):
        assert 0 <= result.start < result.end <= len(text)
        assert 0 < result.score <= 1
    assert recogniser.analyze(text, ["NO_SUCH_ENTITY"], None) == []


def test_no_recogniser_class_shadows_one_of_presidios() -> None:
    """Presidio finds recognisers by class name among all subclasses: a clash would make
    plain Presidio (and our baseline) build one of ours, or fail, depending on set order."""
    from presidio_analyzer import AnalyzerEngine  # noqa: F401  (imports the predefined ones)
    from presidio_analyzer.recognizer_registry.recognizers_loader_utils import (
        RecognizerListLoader,
    )

    modules: dict[str, set[str]] = {}
    for cls in RecognizerListLoader.get_all_existing_recognizers():
        modules.setdefault(cls.__name__, set()).add(cls.__module__.split(".")[0])
    assert not [name for name, owners in modules.items() if len(owners) > 1]
