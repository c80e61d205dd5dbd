"""The codebook-trained coder (``codebook_coder.v1``, the non-rule side of ``hybrid_coder.v3``)."""

from __future__ import annotations

import numpy as np

from lived_experience.coding import build_coder
from lived_experience.coding import codebook_classifier as module
from lived_experience.coding.codebook_classifier import CodebookClassifierCoder
from lived_experience.coding.fewshot import codebook_rows

EXPERIENCE = [
    "My manager shouts at me in front of colleagues and singles me out.",
    "A patient refused to let me care for him because I am Black.",
    "I have been stuck at band 5 for ten years while others were promoted.",
]


def test_learns_the_codebook_and_codes_experience(codebook, embedder) -> None:  # type: ignore[no-untyped-def]
    coder = CodebookClassifierCoder(codebook, embedder)
    result = coder.code(EXPERIENCE)
    ids = codebook.code_ids
    assert result.assigned[0, ids.index("bullying_from_staff")]
    assert result.assigned[1, ids.index("abuse_from_public")]
    assert result.assigned[2, ids.index("career_progression")]
    # scores are the classifiers', in 0-1, and the evidence names a codebook example
    assert ((result.scores >= 0) & (result.scores <= 1)).all()
    row, col = np.argwhere(result.assigned)[0]
    assert result.evidence[row][col].startswith("nearest example: ")


def test_cuts_are_fitted_on_the_codebook_rows_and_calibration_replaces_them(  # type: ignore[no-untyped-def]
    codebook, embedder
) -> None:
    coder = CodebookClassifierCoder(codebook, embedder)
    model = coder.model()
    texts, labels = codebook_rows(codebook)
    assert model.n_train_ == len(texts) == len(labels)
    fitted = {c: coder.threshold(c) for c in codebook.code_ids}
    assert all(0 < t < 1 for t in fitted.values())
    for code in model.unfitted_codes_:  # codes the rows cannot teach keep the SVM boundary
        assert fitted[code] == 0.5
    code = codebook.code_ids[0]
    coder.thresholds[code] = 0.9
    assert coder.threshold(code) == 0.9


def test_trained_once_per_codebook_and_deterministic(codebook, embedder) -> None:  # type: ignore[no-untyped-def]
    # fitted here, with this embedder's cache (a fit shared from an earlier test may have
    # read vectors another cache computed in other batches: equal to about 1e-7, not bytes)
    module._FITTED.clear()
    first = CodebookClassifierCoder(codebook, embedder)
    scores = first.code(EXPERIENCE).scores
    second = CodebookClassifierCoder(codebook, embedder)
    assert second.model().state_ is first.model().state_  # shared, not refitted
    module._FITTED.clear()
    refitted = CodebookClassifierCoder(codebook, embedder)
    assert refitted.model().state_ is not first.model().state_
    np.testing.assert_array_equal(refitted.code(EXPERIENCE).scores, scores)


def test_an_edited_codebook_gets_its_own_classifiers(codebook, embedder) -> None:  # type: ignore[no-untyped-def]
    raw = codebook.model_dump()
    raw["themes"][0]["codes"][0]["examples"].append(
        "Nobody at director level looks like the people on the wards."
    )
    edited = type(codebook).model_validate(raw)
    original = CodebookClassifierCoder(codebook, embedder).model()
    changed = CodebookClassifierCoder(edited, embedder).model()
    assert changed.state_ is not original.state_
    assert changed.n_train_ == original.n_train_ + 1


def test_hybrid_v3_keeps_rule_hits_and_abstains(codebook, embedder) -> None:  # type: ignore[no-untyped-def]
    coder = build_coder("hybrid", codebook, embedder=embedder)
    result = coder.code(["I am a band 6 physiotherapist.", *EXPERIENCE])
    assert not result.assigned[0].any()
    assert result.assigned[1:].any(axis=1).all()
    assert isinstance(coder.embedding, CodebookClassifierCoder)  # type: ignore[attr-defined]
