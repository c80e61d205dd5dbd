from __future__ import annotations

import pytest

from lived_experience.coding.rules import RuleCoder


@pytest.mark.parametrize(
    "sentence, code, expected",
    [
        ("My manager bullies me every shift.", "bullying_from_staff", True),
        ("I have never been bullied here.", "bullying_from_staff", False),
        ("The BAME network gave me peer support.", "staff_networks", True),
        ("A patient refused to let me treat him.", "abuse_from_public", True),
        ("I was not shortlisted.", "recruitment_shortlisting", False),
        ("I do not feel psychologically safe to raise anything.", "speaking_up", True),
    ],
)
def test_rule_coder_matches_keywords_and_respects_negation(
    codebook,
    sentence: str,
    code: str,  # type: ignore[no-untyped-def]
    expected: bool,
) -> None:
    coder = RuleCoder(codebook)
    scores, evidence = coder.score([sentence])
    column = coder.code_ids.index(code)
    assert bool(scores[0, column] > 0) is expected
    if expected:
        phrases = evidence[0][column].split("; ")
        assert all(phrase.lower() in sentence.lower() for phrase in phrases)


def test_rule_scores_rise_with_more_distinct_phrases(codebook) -> None:  # type: ignore[no-untyped-def]
    coder = RuleCoder(codebook)
    scores, _ = coder.score(["I was bullied.", "I was bullied and harassed by a clique."])
    column = coder.code_ids.index("bullying_from_staff")
    assert 0 < scores[0, column] < scores[1, column] < 1
