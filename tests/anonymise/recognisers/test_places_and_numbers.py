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
        ("born 3/29/1982 in Manila", ["3/29/1982"]),  # month first: a day over 12 second
        ("logged 2005-04-12 13:45:31 by the system", ["2005-04-12 13:45:31"]),
        ("we saw 3/4 of the ward and 12/30 beds", []),  # fractions, not dates
    ],
)
def test_abbreviated_weekdays_and_ordinals(text: str, expected: list[str]) -> None:
    assert found("specific_date.v1", text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # full names from NHS Digital's ODS list, as written or in ODS capitals
        ("I was a band 5 at Northwick Park Hospital.", ["Northwick Park Hospital"]),
        (
            "I moved to Royal Free London NHS Foundation Trust.",
            ["Royal Free London NHS Foundation Trust"],
        ),
        # the short forms staff use: multi-word anywhere, one word after a cue or possessive
        ("Northwick Park was better than here.", ["Northwick Park"]),
        ("I did my rotation at Guy's and St Thomas' then left.", ["Guy's and St Thomas'"]),
        ("I trained at Addenbrooke's before the move.", ["Addenbrooke's"]),
        ("She came over from the Christie last year.", ["Christie"]),
        ("Christie said it was fine.", []),  # a one-word form with no cue: not a site
        ("The County team and the General rota.", []),  # generic words are never short forms
    ],
)
def test_real_nhs_sites_from_the_ods_list(text: str, expected: list[str]) -> None:
    assert found("nhs_place_list.v1", text) == expected


def test_nhs_place_list_is_cited_and_has_no_town_as_a_short_form() -> None:
    from importlib import resources

    from lived_experience.anonymise.recognisers.nhs_places import load_nhs_places
    from lived_experience.anonymise.recognisers.places import load_places

    header = resources.files("lived_experience.anonymise.data").joinpath("nhs_places.txt")
    assert "Organisation Data Service" in header.read_text("utf-8")
    places = load_nhs_places()
    assert sum(kind == "trust" for kind, _ in places.values()) > 200
    towns = {t.casefold() for t in load_places("uk_places.txt")[0]}
    assert not {k for k, (kind, _) in places.items() if kind in {"short", "cued"}} & towns


@pytest.mark.parametrize(
    "text, kind",
    [
        ("my card 4111 1111 1111 1111 was charged", "CREDIT_CARD"),
        ("pay it to GB82 WEST 1234 5698 7654 32 please", "IBAN_CODE"),
        ("the login came from 192.168.12.40 again", "IP_ADDRESS"),
    ],
)
def test_bank_and_network_identifiers_are_removed(
    rules_only: Anonymiser, text: str, kind: str
) -> None:
    new, found = rules_only.anonymise_text(text)
    assert kind in {d.entity_type for d in found}
    assert new.startswith(text.split()[0]) and len(new.split("[")) == 2  # one tag, rest kept
    assert not any(ch.isdigit() for ch in new.split("[")[0] + new.split("]")[1])


@pytest.mark.parametrize(
    "text, removed, kept",
    [
        # places the lists do not know, found by the model; countries and regions stay
        ("I grew up in Nigeria and now live in Pimlico.", ["Pimlico"], ["Nigeria"]),
        ("Nurses from the Philippines work in the North West.", [], ["Philippines", "North West"]),
    ],
)
def test_places_the_model_finds(
    anonymiser: Anonymiser, text: str, removed: list[str], kept: list[str]
) -> None:
    new, _ = anonymiser.anonymise_text(text)
    assert all(word not in new for word in removed), new
    assert all(word in new for word in kept), new
