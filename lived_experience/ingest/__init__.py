"""Read the files EDI leads and researchers actually have into one segments table.

* survey exports: CSV (UTF-8, UTF-8 with BOM, UTF-16 with BOM, or Windows-1252 as Excel
  writes it), XLSX, and Qualtrics-style CSV with extra header rows — :func:`read_survey`;
* interview transcripts: a folder of .txt, .docx, .vtt and .srt files —
  :func:`read_transcripts`;
* either, as the segments table every later stage reads — :func:`read_segments`;
* any table, including the toolkit's own outputs — :func:`read_table` (whole) and
  :func:`iter_table_chunks` (streamed): the one reader of tables in the toolkit;
* a study's inputs at once (the stage entry point) — :func:`run`.
"""

from lived_experience.ingest.answers import is_answer
from lived_experience.ingest.segments import read_segments, survey_to_segments
from lived_experience.ingest.stage import (
    IngestResult,
    SurveySource,
    TextTable,
    read_text_table,
    run,
)
from lived_experience.ingest.survey import (
    check_header,
    check_ids,
    iter_table_chunks,
    read_survey,
    read_table,
)
from lived_experience.ingest.transcripts import (
    TRANSCRIPT_SUFFIXES,
    read_transcript,
    read_transcripts,
)

__all__ = [
    "TRANSCRIPT_SUFFIXES",
    "IngestResult",
    "SurveySource",
    "TextTable",
    "check_header",
    "check_ids",
    "is_answer",
    "iter_table_chunks",
    "read_segments",
    "read_survey",
    "read_table",
    "read_text_table",
    "read_transcript",
    "read_transcripts",
    "run",
    "survey_to_segments",
]
