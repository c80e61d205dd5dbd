"""Names written in a non-Latin script inside English answers, and whole answers in another
script: found, replaced, the rest of the text kept as it was; the setting turns it off."""

from __future__ import annotations

import re

import pytest

from lived_experience.anonymise import Anonymiser, AnonymiserSettings
from lived_experience.anonymise.recognisers import RecogniserOptions, build_recogniser
from lived_experience.anonymise.recognisers.other_script import (
    OTHER_SCRIPT,
    latin_share,
    other_script_runs,
)
from tests.conftest import SECRET

#: (script, English answer with a name in that script, the name)
NAMES_IN_ENGLISH = [
    ("Arabic", "My manager محمد علی ignored my request for training.", "محمد علی"),
    ("Urdu with ZWNJ", "I reported it to فاطمہ‌بی بی and nothing happened.", "فاطمہ‌بی بی"),
    ("Devanagari", "The ward sister राहुल शर्मा said I was too slow.", "राहुल शर्मा"),
    ("Bengali", "Only ঋষি helped me on nights.", "ঋষি"),
    ("Gurmukhi", "My colleague ਗੁਰਪ੍ਰੀਤ ਕੌਰ backed me up.", "ਗੁਰਪ੍ਰੀਤ ਕੌਰ"),
    ("Chinese", "The consultant 王伟 shouted at me.", "王伟"),
    ("one ideograph", "Ask 王 about the rota.", "王"),
    ("Japanese with a middle dot", "Then ジョン・スミス took over.", "ジョン・スミス"),
    ("Korean", "My mentor 김민준 was kind.", "김민준"),
    ("Cyrillic", "The matron Наталья Иванова was fair.", "Наталья Иванова"),
    ("Greek", "Αλέξανδρος from HR never replied.", "Αλέξανδρος"),
    ("Tamil", "My buddy முருகன் left the trust.", "முருகன்"),
]


@pytest.mark.parametrize(("script", "text", "name"), NAMES_IN_ENGLISH)
def test_a_name_in_another_script_inside_an_english_answer_is_a_person(
    script: str, text: str, name: str
) -> None:
    recogniser = build_recogniser("other_script.v1", RecogniserOptions())
    results = recogniser.analyze(text, [], None)
    assert [(text[r.start : r.end], r.entity_type) for r in results] == [(name, "PERSON")], script


@pytest.mark.parametrize(
    "text",
    [
        "Beta-blockers (β) and a Δ of 5 are not names.",  # lone Greek letters are symbols
        "Café naïve Zoë Łukasz Øyvind Ærøskøbing: Latin letters with accents.",
        "£50, 30°C, — and … and “quotes” and emoji 😀 are not letters.",
        "Plain ASCII only.",
        "",
    ],
)
def test_latin_text_symbols_and_lone_letters_are_not_runs(text: str) -> None:
    assert other_script_runs(text) == []


def test_words_split_by_latin_or_punctuation_are_separate_runs() -> None:
    text = "محمد, Ahmed and علی"
    assert [text[s:e] for s, e in other_script_runs(text)] == ["محمد", "علی"]


def test_the_share_of_latin_letters_decides_the_kind() -> None:
    assert latin_share("abc") == 1.0 and latin_share("123 !") == 1.0
    assert latin_share("ab محمد") == pytest.approx(1 / 2)  # letters 2 of 6, words 1 of 2
    assert latin_share("The matron Наталья Иванова was fair.") == pytest.approx(4 / 6)


def test_a_whole_answer_in_another_script_is_other_script(rules_only: Anonymiser) -> None:
    text = "میرے مینیجر عمران خان نے کہا کہ NHS میں ترقی نہیں ملے گی۔ Band 6"
    anonymised, detections = rules_only.anonymise_text(text)
    assert detections and {d.entity_type for d in detections} == {OTHER_SCRIPT}
    assert {d.pattern for d in detections} == {"other_script_answer"}
    # every other-script word is gone; the Latin words and numbers stay where they were
    assert latin_share(anonymised.replace("[OTHER_SCRIPT_", "[")) == 1.0
    assert " NHS " in anonymised and anonymised.endswith("۔ Band 6")


def test_an_answer_with_no_latin_letter_at_all_is_read(rules_only: Anonymiser) -> None:
    anonymised, detections = rules_only.anonymise_text("عمران خان")
    assert len(detections) == 1 and anonymised.startswith("[OTHER_SCRIPT_")


def test_english_answers_keep_every_character_outside_the_name(rules_only: Anonymiser) -> None:
    for script, text, name in NAMES_IN_ENGLISH:
        anonymised, detections = rules_only.anonymise_text(text)
        assert name not in anonymised, script
        before, after = text.split(name)
        assert anonymised.startswith(before) and anonymised.endswith(after), script
        assert [d.entity_type for d in detections] == ["PERSON"], script


def test_disguised_names_in_another_script_are_replaced(rules_only: Anonymiser) -> None:
    plain = rules_only.anonymise_text("My manager محمد علی said no.")[0]
    for disguised in (
        "My manager مح\u200bمد علی said no.",  # zero-width space inside
        "My manager \u202eمحمد علی\u202c said no.",  # right-to-left override around
        "My manager ﻣﺤﻤﺪ علی said no.",  # Arabic presentation forms (NFKC: محمد)
    ):
        anonymised, _ = rules_only.anonymise_text(disguised)
        assert "محمد" not in anonymised and "علی" not in anonymised and "ﻣﺤﻤﺪ" not in anonymised
        assert anonymised.replace("\u202e", "").replace("\u202c", "") == plain


def test_the_same_name_gets_the_same_pseudonym(rules_only: Anonymiser) -> None:
    first = rules_only.anonymise_text("I told محمد علی.")[0]
    second = rules_only.anonymise_text("Later محمد علی was promoted.")[0]
    tags = [re.findall(r"\[PERSON_[0-9A-F]+\]", text) for text in (first, second)]
    assert len(tags[0]) == 1 and tags[0] == tags[1]


def test_the_setting_turns_it_off() -> None:
    """Off: nothing is credited to other_script.v1 (names the gazetteer or a cue such as
    "my manager" finds are still replaced by person_names.v1)."""
    off = Anonymiser(AnonymiserSettings(use_ner=False, other_scripts=False), secret=SECRET)
    for _, text, _name in NAMES_IN_ENGLISH:
        _, detections = off.anonymise_text(text)
        assert not [d for d in detections if "other_script" in d.recogniser]
    georgian = "The form was only in ქართული and English."
    assert off.anonymise_text(georgian)[0] == georgian
    on = Anonymiser(AnonymiserSettings(use_ner=False), secret=SECRET)
    assert "ქართული" not in on.anonymise_text(georgian)[0]
    urdu = "میرے مینیجر عمران خان نے کہا"
    kept = off.anonymise_text(urdu)[0]
    assert kept.startswith("میرے مینیجر ") and kept.endswith(" نے کہا")


def test_whole_answers_can_be_kept_while_names_in_english_answers_go() -> None:
    entities = tuple(e for e in AnonymiserSettings().entities if e != OTHER_SCRIPT)
    keep = Anonymiser(AnonymiserSettings(use_ner=False, entities=entities), secret=SECRET)
    urdu = "میرے مینیجر عمران خان نے کہا"
    kept, detections = keep.anonymise_text(urdu)
    assert kept.startswith("میرے مینیجر ") and kept.endswith(" نے کہا")
    assert OTHER_SCRIPT not in {d.entity_type for d in detections}
    assert "محمد" not in keep.anonymise_text("My manager محمد علی said no.")[0]
