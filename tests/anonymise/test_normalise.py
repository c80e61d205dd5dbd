"""Names disguised with zero-width spaces, bidi controls or full-width letters are found,
and the text outside replaced spans is left exactly as it was."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lived_experience.anonymise import Anonymiser
from lived_experience.anonymise.normalise import INVISIBLE, normalise_for_detection

DISGUISES = [
    ("zero-width space", "Dr K\u200bwame Mensah said hello."),
    ("zero-width joiner", "Dr Kwa\u200dme Mensah said hello."),
    ("right-to-left override", "Dr \u202eKwame Mensah\u202c said hello."),
    ("full-width letters", "Dr Ｋｗａｍｅ Mensah said hello."),
    ("full-width digits", "Call ０７７００ ９００１２３ now."),
    ("soft hyphen in an e-mail", "Write to kwame.men\u00adsah@nhs.net now."),
]


def test_disguised_identifiers_are_replaced(rules_only: Anonymiser) -> None:
    for name, text in DISGUISES:
        anonymised, detections = rules_only.anonymise_text(text)
        assert detections, name
        assert "Kwame" not in anonymised and "Ｋｗａｍｅ" not in anonymised, name
        assert "0770" not in anonymised and "men" not in anonymised.replace("Mensah", ""), name
        assert anonymised.endswith((" said hello.", " now.")), name  # untouched outside


def test_the_same_person_gets_the_same_pseudonym_however_disguised(rules_only: Anonymiser) -> None:
    plain = rules_only.anonymise_text("Dr Kwame Mensah said hello.")[0]
    for _, text in DISGUISES[:4]:
        assert (
            rules_only.anonymise_text(text)[0].replace("\u202e", "").replace("\u202c", "") == plain
        )


@given(
    st.text(max_size=30),
    st.lists(st.sampled_from(sorted(INVISIBLE)), max_size=5),
    st.data(),
)
def test_offsets_map_back_to_the_original(text: str, invisible: list[str], data) -> None:  # type: ignore[no-untyped-def]
    chars = list(text)
    for char in invisible:
        chars.insert(data.draw(st.integers(0, len(chars))), char)
    original = "".join(chars)
    norm = normalise_for_detection(original)
    assert not any(c in INVISIBLE for c in norm.text)
    if norm.text:
        start, end = norm.to_original(0, len(norm.text))
        assert 0 <= start <= end <= len(original)


def test_text_outside_detections_is_kept_byte_for_byte(rules_only: Anonymiser) -> None:
    text = "ｆｕｌｌ width note \u200b and call 07700 900123 \u202etoday\u202c."
    anonymised, _ = rules_only.anonymise_text(text)
    assert anonymised.startswith("ｆｕｌｌ width note \u200b and call [PHONE_NUMBER_")
    assert anonymised.endswith("] \u202etoday\u202c.")
