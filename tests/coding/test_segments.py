from __future__ import annotations

import pandas as pd

from lived_experience.coding.apply import sentences_of
from lived_experience.coding.segments import split_sentences


def test_split_sentences_skips_interviewer_turns_and_empty_answers() -> None:
    segments = pd.DataFrame(
        {
            "segment_id": ["T1-0000", "T1-0001", "R1:q", "R2:q"],
            "speaker_role": ["interviewer", "respondent", "respondent", "respondent"],
            "text": ["How was it?", "It was hard. I was bullied.", "N/A", "-"],
        }
    )
    sentences = split_sentences(segments)
    assert sentences["sentence_id"].tolist() == ["T1-0001#0", "T1-0001#1"]
    text = segments["text"][1]
    for row in sentences.itertuples():
        assert text[row.start : row.end].strip() == row.sentence


def test_sentences_of_keeps_row_ids_and_fields() -> None:
    frame = pd.DataFrame({"rid": ["a", "b"], "q1": ["One. Two.", ""], "q2": ["", "Three."]})
    sentences = sentences_of(frame, ["q1", "q2"], "rid")
    assert sentences[["id", "field", "sentence"]].values.tolist() == [
        ["a", "q1", "One."],
        ["a", "q1", "Two."],
        ["b", "q2", "Three."],
    ]
