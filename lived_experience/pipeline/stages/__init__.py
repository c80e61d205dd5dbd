"""The registered stages of a study run, in order.

Adding a stage is one module here (a :class:`~lived_experience.pipeline.stage.Stage` called
``STAGE``) plus one line below; see docs/architecture.md.
"""

from __future__ import annotations

from lived_experience.pipeline.stage import (
    CODED_SEGMENTS,
    CODED_SURVEY,
    SURVEY_OUT,
    TRANSCRIPTS_OUT,
    Stage,
    StageContext,
)
from lived_experience.pipeline.stages import anonymise, code, ingest, quotes, report, topics, wres

STAGES: tuple[Stage, ...] = (
    ingest.STAGE,
    anonymise.STAGE,
    code.STAGE,
    topics.STAGE,
    wres.STAGE,
    quotes.STAGE,
    report.STAGE,
)

__all__ = [
    "CODED_SEGMENTS",
    "CODED_SURVEY",
    "STAGES",
    "SURVEY_OUT",
    "TRANSCRIPTS_OUT",
    "Stage",
    "StageContext",
]
