"""Name rules that learn from the loaded model: everyday-word pairs, names that are also
function words, possessives and greetings at a name's edge (issue #14)."""

from __future__ import annotations

import pytest

from lived_experience.anonymise.recognisers.person_names import (
    EVERYDAY_PERCENTILE,
    name_closeness_scale,
)


def _people(anonymiser, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    found = anonymiser.detect([text])[0]
    return [text[d.start : d.end] for d in found if d.entity_type == "PERSON"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Our Staff Nurse covered the whole shift on her own.", "Staff Nurse"),
        ("The Border Force queue at the airport took hours.", "Border Force"),
        ("Fill in the Personal Info section of the form.", "Personal Info"),
    ],
)
def test_two_everyday_capitalised_words_are_not_a_name(anonymiser, text: str, kept: str) -> None:  # type: ignore[no-untyped-def]
    assert not any(kept.split()[0] in p for p in _people(anonymiser, text))
    assert kept in anonymiser.anonymise_texts([text])[0][0]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("I worked with Felicity Fairbrother for two years.", "Fairbrother"),
        ("I worked with An Nguyen for two years before she left.", "An"),
        ("It was An's idea to report it to the guardian.", "An"),
        ("On the rota that week were Hanh and An.", "An"),
        ("Ask An from the ED, she saw what happened.", "An"),
        ("i told june okafor about it and nothing happened", "june"),
    ],
)
def test_names_that_look_like_common_words_are_found(anonymiser, text: str, name: str) -> None:  # type: ignore[no-untyped-def]
    out = anonymiser.anonymise_texts([text])[0][0]
    assert f" {name} " not in f" {out} " and f" {name}'s" not in out, out


@pytest.mark.parametrize(
    "text",
    [
        "And on nights it is worse than on days.",
        "We read about it in The Guardian last week.",
        "It was the best decision I ever made.",
        "I told an agency nurse about it and nothing happened.",
    ],
)
def test_function_words_stay_function_words(anonymiser, text: str) -> None:  # type: ignore[no-untyped-def]
    assert anonymiser.anonymise_texts([text])[0][0] == text


def test_a_name_ends_at_its_possessive_and_greetings_are_not_part_of_it(anonymiser) -> None:  # type: ignore[no-untyped-def]
    text = "Hi Eric, it was Kristiana's address on the form."
    people = _people(anonymiser, text)
    assert "Eric" in people and not any(p.startswith("Hi") for p in people)
    assert not any("address" in p for p in people)
    out = anonymiser.anonymise_texts([text])[0][0]
    assert out.startswith("Hi ") and "'s address on the form." in out


def test_title_then_capitalised_surname_does_not_swallow_the_verb(anonymiser) -> None:  # type: ignore[no-untyped-def]
    text = "Dr Horiguchi flew back to see the patient."
    assert _people(anonymiser, text) == ["Horiguchi"]


def test_everyday_scale_is_learned_from_the_gazetteer_and_the_model(nlp_md) -> None:  # type: ignore[no-untyped-def]
    from lived_experience.anonymise.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    scale = name_closeness_scale(nlp_md.vocab, gazetteer, set())
    assert scale is not None
    centre, cut = scale
    names = [n for n in sorted(gazetteer) if nlp_md.vocab.has_vector(n)][:2000]
    closeness = [
        float(nlp_md.vocab.get_vector(n) @ centre)
        / float((nlp_md.vocab.get_vector(n) ** 2).sum() ** 0.5)
        for n in names
    ]
    below = sum(c < cut for c in closeness) / len(closeness)
    assert below <= 2 * EVERYDAY_PERCENTILE / 100  # about 5% of known names fall below
    # no vectors (a blank pipeline): no scale, so no word is ever called everyday
    import spacy

    assert name_closeness_scale(spacy.blank("en").vocab, gazetteer, set()) is None


def test_a_latin_given_name_before_a_name_in_another_script(anonymiser) -> None:  # type: ignore[no-untyped-def]
    assert _people(anonymiser, "Sudiksha ஆதித்யவர்த்தன் was really supportive.")[0] == "Sudiksha"
    assert anonymiser.anonymise_texts(["Ask 王 about the rota."])[0][0].startswith("Ask ")


@pytest.mark.parametrize(
    ("text", "surname"),
    [
        ("Yesterday Layla Brown was rude to me in the handover.", "Brown"),
        ("i told june brown about it and nothing happened", "brown"),
    ],
)
def test_colour_surnames_after_a_name_are_removed(anonymiser, text: str, surname: str) -> None:  # type: ignore[no-untyped-def]
    assert surname not in anonymiser.anonymise_texts([text])[0][0]


def test_colour_words_before_a_group_stay_descriptors(anonymiser) -> None:  # type: ignore[no-untyped-def]
    out = anonymiser.anonymise_texts(["I told Deepa Black nurses are never shortlisted."])[0][0]
    assert "Black nurses are never shortlisted." in out and "Deepa" not in out
