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


def test_sentences_match_spacy_blank_english_on_realistic_answers() -> None:
    # the splitter builds spaCy's English tokenizer itself (no Language object, so no spaCy
    # plugin is loaded); its sentences must be the ones spacy.blank("en") + sentencizer gives
    import spacy

    from lived_experience.coding.segments import _sentencizer

    survey = pd.read_csv("data/synthetic/staff_survey.csv", dtype=str, keep_default_na=False)
    texts = [*survey["q_experience"].head(300), *survey["q_improve"].head(300)]
    texts += [
        "Dr. Okafor said no... again!! I asked HR (twice) -- e-mail: n/a. Band 5 -> band 6?",
        "We don't feel heard.They promoted him instead ; I'm still on nights 9am-5pm.",
        "",
    ]
    reference = spacy.blank("en")
    reference.add_pipe("sentencizer")
    ours = _sentencizer()
    for theirs, mine in zip(reference.pipe(texts), ours.pipe(texts), strict=True):
        assert [t.text for t in theirs] == [t.text for t in mine]
        assert [(s.start_char, s.end_char) for s in theirs.sents] == [
            (s.start_char, s.end_char) for s in mine.sents
        ]


def test_splitting_sentences_loads_no_spacy_plugin() -> None:
    # Presidio registers a spaCy factory whose import pulls in transformers (seconds on every
    # `code` run); the coding stage's sentence splitter must not trigger it
    import subprocess
    import sys

    probe = (
        "import sys, pandas as pd\n"
        "from lived_experience.coding.segments import split_sentences\n"
        "split_sentences(pd.DataFrame({'segment_id': ['1'], 'text': ['One. Two.']}))\n"
        "print(sorted(m for m in ('presidio_analyzer', 'transformers') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"
