"""UK places, NHS sites as staff name them, registration numbers near a cue, URLs, dates."""

from __future__ import annotations

import pytest

from lived_experience.anonymise import Anonymiser
from lived_experience.anonymise.recognisers import RecogniserOptions, build_recogniser


def found(name: str, text: str, entities: list[str] | None = None) -> list[str]:
    recogniser = build_recogniser(name, RecogniserOptions())
    return sorted(text[r.start : r.end] for r in recogniser.analyze(text, entities or [], None))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I moved from Croydon to Aldershot last year.", ["Aldershot", "Croydon"]),
        ("She lives at 14 Elm Grove near Tooting.", ["14 Elm Grove", "Tooting"]),
        ("I live in Reading now.", ["Reading"]),
        ("Reading the policy made it worse.", []),  # an everyday word without a place cue
        ("Nurses in the North West and in London came from Nigeria.", []),  # regions, countries
    ],
)
def test_uk_places(text: str, expected: list[str]) -> None:
    assert found("places.v1", text, ["UK_PLACE"]) == expected


def test_places_abroad_are_a_separate_type_kept_by_default(rules_only: Anonymiser) -> None:
    text = "I trained in Lagos before moving to Croydon."
    assert found("places.v1", text, ["PLACE_ABROAD"]) == ["Lagos"]
    new, _ = rules_only.anonymise_text(text)
    assert "Lagos" in new and "Croydon" not in new


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I worked at Frimley Park, then Salford Royal.", ["Frimley Park", "Salford Royal"]),
        ("I trained at Guy's for three years.", ["Guy's"]),
        ("She joined the Royal Free in 2019.", ["Royal Free"]),
        ("I moved to the Whittington after that.", ["Whittington"]),
        ("The Royal College of Nursing helped.", []),
        ("At the Trust, we met at the end.", []),
    ],
)
def test_hospitals_as_staff_name_them(text: str, expected: list[str]) -> None:
    assert found("nhs_site.v1", text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "They reported me to the GMC last year. It was awful. Anyway my number's 7025568.",
            ["7025568"],
        ),
        ("My NMC registration, if you need it: 12A3456B.", ["12A3456B"]),
        ("Payroll got it wrong again, staff number 4402 1187.", ["4402 1187"]),
        ("We saw 250000 patients in 2019.", []),  # no cue
        ("GMC. One. Two. Three. Four. The number was 7025568.", []),  # cue too far away
    ],
)
def test_registration_numbers_near_a_cue(text: str, expected: list[str]) -> None:
    assert found("registration_near_cue.v1", text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("find me at linkedin.com/in/jane-doe-123.", ["linkedin.com/in/jane-doe-123"]),
        ("my blog janedoe.co.uk has it", ["janedoe.co.uk"]),
        ("e.g. this, i.e. that, etc.", []),
    ],
)
def test_urls_without_a_scheme(text: str, expected: list[str]) -> None:
    assert found("url.v1", text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("It happened on Thurs 9th March.", ["Thurs 9th March"]),
        ("and again Tue 14th.", ["Tue 14th"]),
    ],
)
def test_abbreviated_weekdays_and_ordinals(text: str, expected: list[str]) -> None:
    assert found("specific_date.v1", text) == expected
