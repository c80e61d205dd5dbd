from __future__ import annotations

import json
from pathlib import Path

import pytest

from lived_experience.errors import InputFileError
from lived_experience.ingest import read_transcript, read_transcripts
from lived_experience.ingest.transcripts import speaker_role


def test_read_transcripts_matches_the_gold_text_of_every_turn(synthetic_dir: Path) -> None:
    segments = read_transcripts(synthetic_dir / "transcripts")
    gold = {}
    for line in (
        (synthetic_dir / "gold" / "annotations.jsonl").read_text(encoding="utf-8").splitlines()
    ):
        record = json.loads(line)
        if record["source"].startswith("transcripts/") and record["field"] == "text":
            gold[record["record_id"]] = record["text"]
    assert segments["document_id"].nunique() >= 12
    assert dict(zip(segments["segment_id"], segments["text"], strict=True)) == gold
    assert set(segments["speaker_role"]) == {"interviewer", "respondent"}


def test_read_transcript_merges_consecutive_cues_of_one_speaker(tmp_path: Path) -> None:
    path = tmp_path / "call.vtt"
    path.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Jo Hartley (Researcher)>Hello.</v>\n\n"
        "00:00:02.500 --> 00:00:04.000\n<v Amara Eze>I work nights.</v>\n\n"
        "00:00:04.000 --> 00:00:06.000\n<v Amara Eze>On the ward.</v>\n",
        encoding="utf-8",
    )
    turns = read_transcript(path)
    assert [(t.speaker, t.text) for t in turns] == [
        ("Jo Hartley (Researcher)", "Hello."),
        ("Amara Eze", "I work nights. On the ward."),
    ]
    assert (turns[1].start_time, turns[1].end_time) == ("00:00:02.500", "00:00:06.000")


def test_read_transcript_reads_srt_with_speaker_prefixes(tmp_path: Path) -> None:
    path = tmp_path / "zoom.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nInterviewer: How are you?\n\n"
        "2\n00:00:02,000 --> 00:00:03,000\nRespondent: Tired.\n",
        encoding="utf-8",
    )
    turns = read_transcript(path)
    assert [(t.speaker, t.text) for t in turns] == [
        ("Interviewer", "How are you?"),
        ("Respondent", "Tired."),
    ]


def test_read_transcript_keeps_multi_line_turns_and_preamble(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(
        "Interview 3, ward staff\n\nInterviewer: First question?\n"
        "Respondent: Line one.\nLine two.\n",
        encoding="utf-8",
    )
    turns = read_transcript(path)
    assert [(t.speaker, t.text) for t in turns] == [
        ("", "Interview 3, ward staff"),
        ("Interviewer", "First question?"),
        ("Respondent", "Line one.\nLine two."),
    ]


@pytest.mark.parametrize(
    "label, role",
    [
        ("Interviewer", "interviewer"),
        ("INT", "interviewer"),
        ("Jo Hartley (Researcher)", "interviewer"),
        ("Respondent", "respondent"),
        ("Kofi Okafor", "respondent"),
        ("", "note"),
    ],
)
def test_speaker_role(label: str, role: str) -> None:
    assert speaker_role(label) == role


def test_read_transcript_rejects_a_fake_docx(tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    path.write_text("not a word file", encoding="utf-8")
    with pytest.raises(InputFileError, match="not a Word document"):
        read_transcript(path)


def test_read_transcripts_rejects_an_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="holds no transcripts"):
        read_transcripts(tmp_path)
