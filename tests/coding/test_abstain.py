"""No code is a real answer: descriptive sentences and out-of-codebook talk get no code."""

from __future__ import annotations

import pytest

from lived_experience.coding import HybridCoder, build_coder
from lived_experience.coding.abstain import is_descriptive_only

NO_CODE = [
    "I am a band 6 physiotherapist.",
    "I am a staff nurse on nights.",
    "Staffing is a problem across the whole hospital.",
]


@pytest.mark.parametrize(
    ("sentence", "descriptive"),
    [
        ("I am a band 6 physiotherapist.", True),
        ("I am a staff nurse on nights.", True),
        ("I work in theatres at the main site.", True),
        ("I have worked here for nine years.", True),
        ("I am a band 6 nurse but I have been passed over for promotion.", False),
        ("I've worked here 10 years and never been promoted.", False),
        ("I am exhausted by the racist comments from patients.", False),
        ("Staffing is a problem across the whole hospital.", False),
    ],
)
def test_is_descriptive_only(sentence: str, descriptive: bool) -> None:
    assert is_descriptive_only(sentence) is descriptive


def test_hybrid_coder_gives_no_code_to_role_and_out_of_scope_sentences(codebook, embedder) -> None:  # type: ignore[no-untyped-def]
    result = HybridCoder(codebook, embedder).code(NO_CODE)
    assert not result.assigned.any()


def test_hybrid_coder_still_codes_experience(codebook, embedder) -> None:  # type: ignore[no-untyped-def]
    sentences = [
        "My manager shouts at me in front of colleagues and singles me out.",
        "I have applied for band 7 roles five times and a white colleague always gets it.",
    ]
    new = HybridCoder(codebook, embedder).code(sentences)
    old = HybridCoder(codebook, embedder, abstain=False).code(sentences)
    assert new.assigned.any(axis=1).all()
    assert not (new.assigned & ~old.assigned).any()
    assert new.assigned[0, codebook.code_ids.index("bullying_from_staff")]


def test_v1_names_keep_the_old_behaviour(codebook, embedder) -> None:  # type: ignore[no-untyped-def]
    old = build_coder("hybrid_coder.v1", codebook, embedder=embedder)
    v2 = build_coder("hybrid_coder.v2", codebook, embedder=embedder)
    new = build_coder("hybrid", codebook, embedder=embedder)
    assert old.name == "hybrid_coder.v1" and not old.abstain  # type: ignore[attr-defined]
    assert v2.name == "hybrid_coder.v2" and v2.abstain  # type: ignore[attr-defined]
    assert v2.scorer == "similarity"  # type: ignore[attr-defined]
    assert new.name == "hybrid_coder.v3" and new.abstain  # type: ignore[attr-defined]
    assert new.scorer == "codebook_classifier"  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["hybrid_coder.v2", "hybrid_coder.v3"])
def test_both_hybrids_give_no_code_to_role_and_out_of_scope_sentences(  # type: ignore[no-untyped-def]
    codebook, embedder, name
) -> None:
    assert not build_coder(name, codebook, embedder=embedder).code(NO_CODE).assigned.any()
