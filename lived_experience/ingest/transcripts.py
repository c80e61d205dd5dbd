"""Read interview transcripts: plain text, Word, and WebVTT / SRT from Teams or Zoom.

A transcript becomes a list of turns, in order. Consecutive cues from the same speaker in a
timed transcript are merged into one turn (Teams splits a turn into many short cues).
Interviewer turns are kept and marked (``speaker_role == "interviewer"``) so later stages can
skip them without losing them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lived_experience.errors import InputFileError
from lived_experience.ingest.text_files import check_readable, read_text_file
from lived_experience.schemas import SEGMENT_COLUMNS

TRANSCRIPT_SUFFIXES = (".txt", ".docx", ".vtt", ".srt")

#: Speaker labels treated as the interviewer (case-insensitive, whole label or in brackets).
INTERVIEWER_LABELS = ("interviewer", "researcher", "facilitator", "moderator", "int", "i", "q")

_SPEAKER_LINE = re.compile(
    r"^\s*(?:\[?\(?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\)?\]?\s*)?"  # optional timestamp
    r"(?P<speaker>[A-Za-z][\w .'()\-]{0,58}?)\s*:\s+(?P<text>\S.*)$"
)


@dataclass(frozen=True)
class Turn:
    """One turn of a transcript."""

    speaker: str
    text: str
    start_time: str = ""
    end_time: str = ""


def speaker_role(speaker: str, interviewer_labels: Sequence[str] = INTERVIEWER_LABELS) -> str:
    """``"interviewer"`` if the label names the interviewer, ``"note"`` if empty, else respondent.

    >>> speaker_role("Jo Hartley (Researcher)")
    'interviewer'
    >>> speaker_role("Respondent")
    'respondent'
    """
    label = speaker.strip().lower()
    if not label:
        return "note"
    labels = {lab.lower() for lab in interviewer_labels}
    bracketed = re.findall(r"\(([^)]*)\)", label)
    if label in labels or any(b.strip() in labels for b in bracketed):
        return "interviewer"
    if any(word in labels and len(word) > 3 for word in re.split(r"[^a-z]+", label)):
        return "interviewer"
    return "respondent"


def _turns_from_lines(lines: Iterable[str]) -> list[Turn]:
    turns: list[Turn] = []
    speaker: str | None = None
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            turns.append(Turn(speaker or "", "\n".join(buffer)))

    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        match = _SPEAKER_LINE.match(line)
        if match and len(match.group("speaker").split()) <= 6:
            flush()
            speaker, buffer = match.group("speaker").strip(), [match.group("text").rstrip()]
        else:  # a continuation line, or a preamble before the first speaker
            buffer.append(line.strip())
    flush()
    return turns


def _docx_lines(path: Path) -> list[str]:
    import zipfile

    import docx

    head = path.read_bytes()[:4]
    if head != b"PK\x03\x04":
        raise InputFileError(
            f"'{path}' ends in .docx but is not a Word document. Fix: open it in Word and "
            "'Save As' Word Document (.docx)."
        )
    from lived_experience.ingest.limits import check_archive

    check_archive(path)  # before anything is decompressed
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise InputFileError(
            f"'{path}' could not be read as a Word document ({type(exc).__name__}). Fix: "
            "open it in Word and save it again."
        ) from None
    return [paragraph.text for paragraph in document.paragraphs]


def _timed_turns(path: Path) -> list[Turn]:
    import webvtt

    text, _ = read_text_file(path)
    try:
        captions = webvtt.from_buffer(
            text.lstrip("\ufeff").splitlines(),
            format="srt" if path.suffix.lower() == ".srt" else "vtt",
        )
    except (
        webvtt.errors.MalformedFileError,
        webvtt.errors.MalformedCaptionError,
        ValueError,
        IndexError,
    ) as exc:
        raise InputFileError(
            f"'{path}' is not valid {path.suffix.lower()[1:].upper()} ({type(exc).__name__}). "
            "Fix: download the transcript again from Teams or Zoom."
        ) from None
    turns: list[Turn] = []
    for caption in captions.captions:
        speaker = caption.voice or ""
        body = " ".join(line.strip() for line in caption.text.splitlines() if line.strip())
        if not speaker:
            match = _SPEAKER_LINE.match(body)
            if match:
                speaker, body = match.group("speaker").strip(), match.group("text")
        if not body:
            continue
        if turns and turns[-1].speaker == speaker:
            last = turns[-1]
            turns[-1] = Turn(speaker, f"{last.text} {body}", last.start_time, caption.end)
        else:
            turns.append(Turn(speaker, body, caption.start, caption.end))
    return turns


def read_transcript(path: str | Path) -> list[Turn]:
    """Read one transcript file into its turns, in order.

    Raises
    ------
    InputFileError
        If the file is missing, empty, of another format than its extension, or has no text.
    """
    path = Path(path)
    check_readable(path)
    suffix = path.suffix.lower()
    if suffix == ".txt":
        text, _ = read_text_file(path)
        turns = _turns_from_lines(text.lstrip("\ufeff").splitlines())
    elif suffix == ".docx":
        turns = _turns_from_lines(_docx_lines(path))
    elif suffix in {".vtt", ".srt"}:
        turns = _timed_turns(path)
    else:
        raise InputFileError(
            f"'{path}' has extension '{suffix}'; transcripts must be "
            f"{', '.join(TRANSCRIPT_SUFFIXES)}. Fix: convert it, or move it out of the folder."
        )
    if not turns:
        raise InputFileError(f"'{path}' contains no transcript text. Fix: check the file.")
    return turns


def read_transcripts(
    folder: str | Path, interviewer_labels: Sequence[str] = INTERVIEWER_LABELS
) -> pd.DataFrame:
    """Read every transcript in ``folder`` (sorted by file name) into a segments table.

    The document id is the file name without its extension; segment ids are
    ``<document>-<turn:04d>``.

    Examples
    --------
    >>> segments = read_transcripts("data/synthetic/transcripts")
    >>> segments[["document_id", "speaker_role"]].iloc[0].tolist()
    ['T01', 'interviewer']
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputFileError(f"'{folder}' is not a folder of transcripts. Fix: check the path.")
    files = sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in TRANSCRIPT_SUFFIXES and not p.name.startswith(".")
    )
    if not files:
        raise InputFileError(
            f"'{folder}' holds no transcripts ({', '.join(TRANSCRIPT_SUFFIXES)}). Fix: put the "
            "transcript files in this folder."
        )
    stems = [p.stem for p in files]
    repeated = sorted({s for s in stems if stems.count(s) > 1})
    if repeated:
        raise InputFileError(
            f"'{folder}': more than one transcript is called '{repeated[0]}' (different "
            "extensions). Fix: rename them so each document id is unique."
        )
    rows = []
    for path in files:
        for index, turn in enumerate(read_transcript(path)):
            rows.append(
                {
                    "document_id": path.stem,
                    "segment_id": f"{path.stem}-{index:04d}",
                    "source": path.name,
                    "field": "text",
                    "speaker": turn.speaker,
                    "speaker_role": speaker_role(turn.speaker, interviewer_labels),
                    "start_time": turn.start_time,
                    "end_time": turn.end_time,
                    "text": turn.text,
                }
            )
    from lived_experience.ingest.limits import check_cells

    segments = pd.DataFrame(rows, columns=list(SEGMENT_COLUMNS))
    check_cells(segments, folder, columns=["text", "speaker"])
    return segments
