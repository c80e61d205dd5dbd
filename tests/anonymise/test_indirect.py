"""Indirect identifiers: only real identifying combinations, replaced by a generalisation."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lived_experience.anonymise import Anonymiser
from lived_experience.anonymise.indirect import find_indirect_identifiers


@pytest.mark.parametrize(
    "text, phrase, generalised",
    [
        (
            "I was the only Nigerian director on the board and nobody listened.",
            "the only Nigerian director on the board",
            "[a senior role]",
        ),
        (
            "She is the first Black consultant in cardiology here.",
            "the first Black consultant in cardiology here",
            "[a senior role]",
        ),
        (
            "I'm the only hijabi midwife at the trust.",
            "the only hijabi midwife at the trust",
            "[a clinical role]",
        ),
        (
            "as the only Filipino porter on nights",
            "the only Filipino porter on nights",
            "[a staff role]",
        ),
    ],
)
def test_identifying_combinations_are_flagged(text: str, phrase: str, generalised: str) -> None:
    (found,) = find_indirect_identifiers(text)
    assert text[found.start : found.end] == phrase
    assert found.pattern == generalised


@pytest.mark.parametrize(
    "text",
    [
        "She was the only one who ever stood up for me.",
        "The only thing that helped was the network.",
        "It was the first time I felt heard.",
        "I was the only person on shift that night.",
        "Black nurses are the first to be blamed.",
    ],
)
def test_ordinary_only_and_first_are_not_flagged(text: str) -> None:
    assert find_indirect_identifiers(text) == []


def test_flagged_phrase_is_generalised_unless_a_reviewer_keeps_it(
    rules_only: Anonymiser, tmp_path: Path
) -> None:
    from lived_experience.anonymise.review import Decisions

    frame = pd.DataFrame({"id": ["a"], "text": ["I was the only Somali matron at the trust."]})
    result = rules_only.anonymise_frame(frame, ["text"], id_column="id")
    assert result.frame["text"][0] == "I was [a senior role]."
    row = result.entities[result.entities["entity_type"] == "INDIRECT_IDENTIFIER"].iloc[0]
    assert row["risk"] == "high" and row["replacement"] == "[a senior role]"

    decisions_frame = result.entities.copy()
    decisions_frame["decision"] = "reject"
    decisions_frame.to_csv(tmp_path / "decisions.csv", index=False)
    kept = rules_only.anonymise_frame(
        frame, ["text"], id_column="id", decisions=Decisions.read(tmp_path / "decisions.csv")
    )
    assert kept.frame["text"][0] == frame["text"][0]
    assert kept.entities["decision"].tolist() == ["reject"]  # flagged, kept by the reviewer
