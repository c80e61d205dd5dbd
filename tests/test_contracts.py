"""The contract every registered plugin keeps (scikit-learn's ``check_estimator`` idea).

Parametrized over every name in the recogniser, operator and coder registries, so a plugin
registered later is checked without writing a test for it: it is built, run on a small
synthetic input, and must return the documented shape and types, leave its input alone, and
give the same answer twice.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from lived_experience.anonymise.operators import OPERATORS
from lived_experience.anonymise.pseudonyms import PseudonymTagger
from lived_experience.anonymise.recognisers import (
    RecogniserOptions,
    build_recogniser,
    registered_recognisers,
)
from lived_experience.coding.coders import CODERS, CodingResult, build_coder

TEXTS = [
    "Dr Amaka Okafor on Ward 7 at Leeds General Infirmary said NHS number 943 476 5919 "
    "was wrong; call 0113 496 0456 or amaka.okafor@example.nhs.uk.",
    "As a Black nurse on band 5 I was passed over for training again.",
    "",
]
SENTENCES = [
    "My manager ignores me when training places come up.",
    "A patient shouted racist abuse at me on the ward.",
    "The car park is fine.",
]


@pytest.mark.parametrize("name", registered_recognisers())
def test_recogniser_contract(name: str) -> None:
    recogniser = build_recogniser(name, RecogniserOptions())
    entities = list(recogniser.supported_entities)
    assert entities and all(isinstance(e, str) and e.isupper() for e in entities)
    for text in TEXTS:
        before = copy.copy(text)
        first = recogniser.analyze(text, entities, None)
        second = recogniser.analyze(text, entities, None)
        assert text == before
        assert [(r.start, r.end, r.entity_type, r.score) for r in first] == [
            (r.start, r.end, r.entity_type, r.score) for r in second
        ]
        for result in first:
            assert 0 <= result.start < result.end <= len(text)
            assert 0 < result.score <= 1
            assert result.entity_type in entities


@pytest.mark.parametrize("name", OPERATORS.names())
def test_operator_contract(name: str) -> None:
    operator = OPERATORS.get(name)
    tagger = PseudonymTagger(b"contract-test-secret-0123456789ab")
    for entity_type, value in [
        ("PERSON", "Amaka Okafor"),
        ("NHS_NUMBER", "943 476 5919"),
        ("PHONE_NUMBER", "0113 496 0456"),
        ("EMAIL_ADDRESS", "amaka.okafor@example.nhs.uk"),
    ]:
        first = operator(tagger, entity_type, value)
        assert isinstance(first, str) and first
        assert operator(tagger, entity_type, value) == first  # deterministic
        assert value not in first  # the original never survives


@pytest.fixture(scope="module")
def coders(codebook, embedder):  # type: ignore[no-untyped-def]
    """Every registered coder, built and (where it learns) fitted on a tiny labelled sample."""
    built = {}
    for name in CODERS.names():
        coder = (
            build_coder(name, codebook)
            if name == "rule_coder.v1"
            else build_coder(name, codebook, embedder=embedder)
        )
        if hasattr(coder, "fit"):
            texts = SENTENCES * 4  # the few-shot coder wants at least 10 hand-coded answers
            labels = [{"career_progression"}, {"abuse_from_public"}, set()] * 4
            assert coder.fit(texts, labels) is coder  # fit returns self
        built[name] = coder
    return built


@pytest.mark.parametrize("name", CODERS.names())
def test_coder_contract(name: str, coders, codebook) -> None:  # type: ignore[no-untyped-def]
    coder = coders[name]
    assert getattr(coder, "name", name) == name  # the versioned name it reports is its key
    sentences = list(SENTENCES)
    result = coder.code(sentences)
    assert sentences == SENTENCES  # input untouched
    assert isinstance(result, CodingResult)
    n, m = len(SENTENCES), len(codebook.code_ids)
    assert result.code_ids == codebook.code_ids
    assert result.scores.shape == (n, m) and result.assigned.shape == (n, m)
    assert result.assigned.dtype == bool
    assert np.all((result.scores >= 0) & (result.scores <= 1))
    assert len(result.evidence) == n and all(len(row) == m for row in result.evidence)
    for r in range(n):
        for c in range(m):
            assert bool(result.evidence[r][c]) == bool(result.assigned[r, c])
    again = coder.code(sentences)
    assert np.array_equal(again.scores, result.scores)
    assert np.array_equal(again.assigned, result.assigned)
    empty = coder.code([])
    assert empty.scores.shape == (0, m) and empty.assigned.shape == (0, m)
