"""The quotes stage's entry point, called by ``lived-experience quotes`` and the study pipeline
alike: from the coded segments, a shortlist of representative, diverse, safe quotes per code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from lived_experience.anonymise import Anonymiser
from lived_experience.codebook import Codebook
from lived_experience.quotes.bank import QuoteBank, build_quote_bank
from lived_experience.quotes.export import (
    DEFAULT_MARKING,
    write_csv,
    write_docx,
    write_markdown,
    write_mix,
)
from lived_experience.registry import Registry
from lived_experience.stats import DEFAULT_K

#: columns of the coded segments that ``lived-experience code --segments`` writes
CODED_SEGMENT_COLUMNS = ("id", "code", "answer")


class QuoteSettings(BaseModel):
    """How many quotes per code, and how much diversity weighs against typicality.

    >>> QuoteSettings(per_code=3).diversity
    0.3
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    per_code: int = Field(5, ge=1, le=20)
    diversity: float = Field(0.3, ge=0, le=1)
    balance: Literal["proportional", "none"] = Field(
        "proportional", description="shortlist mix follows who raised the code, or none"
    )
    group_column: str = Field("ethnic_group", description="the groups the mix is balanced on")
    placeholders: Literal["placeholder", "surrogate", "tags"] = Field(
        "placeholder", description="how removed details read in quotes (docs/quotes.md)"
    )
    where: dict[str, str] = Field(
        default_factory=dict, description="draw quotes only from rows with COLUMN=VALUE"
    )
    paper: Literal["A4", "Letter"] = "A4"
    marking: str = Field(DEFAULT_MARKING, description="protective marking, header and footer")


def typed_segments(segments: pd.DataFrame) -> pd.DataFrame:
    """The coded segments with offsets as integers and scores as numbers (a new frame).

    Tables read back from disk hold strings; this is the boundary where they get their types.
    """
    segments = segments.copy()
    for column in ("start", "end"):
        segments[column] = segments[column].astype(int)
    segments["score"] = segments["score"].astype(float)
    return segments


def run(
    segments: pd.DataFrame,
    codebook: Codebook,
    settings: QuoteSettings,
    *,
    embedder: object,
    anonymiser: Anonymiser | None,
    k: int = DEFAULT_K,
) -> QuoteBank:
    """The quote bank for every code of ``codebook`` (deterministic).

    ``segments`` is what ``lived-experience code --segments`` writes, as read back from disk
    or as :func:`~lived_experience.coding.code_frame` returns it; ``anonymiser`` re-scans the
    shortlist (None only in tests); attributions fit at least ``k`` respondents.
    """
    return build_quote_bank(
        typed_segments(segments),
        codebook,
        embedder,
        per_code=settings.per_code,
        anonymiser=anonymiser,
        k=k,
        diversity=settings.diversity,
        balance=settings.balance,
        group_column=settings.group_column,
        where=settings.where or None,
        placeholders=settings.placeholders,
    )


#: a quote-bank writer: (bank, codebook, destination, include flagged quotes?, settings)
QuoteWriter = Callable[[QuoteBank, Codebook, Path, bool, QuoteSettings], None]


def _scope(settings: QuoteSettings) -> str:
    return ", ".join(f"{column} = {value}" for column, value in settings.where.items())


def _docx(
    bank: QuoteBank, codebook: Codebook, path: Path, include_flagged: bool, settings: QuoteSettings
) -> None:
    write_docx(
        bank,
        codebook,
        path,
        include_flagged=include_flagged,
        paper=settings.paper,
        marking=settings.marking,
        scope=_scope(settings),
    )


def _markdown(
    bank: QuoteBank, codebook: Codebook, path: Path, include_flagged: bool, settings: QuoteSettings
) -> None:
    write_markdown(bank, codebook, path, include_flagged=include_flagged, marking=settings.marking)


def _csv(
    bank: QuoteBank, codebook: Codebook, path: Path, include_flagged: bool, settings: QuoteSettings
) -> None:
    write_csv(bank, path)  # every quote, flagged ones with their flags


def _mix(
    bank: QuoteBank, codebook: Codebook, path: Path, include_flagged: bool, settings: QuoteSettings
) -> None:
    write_mix(bank, path)


#: the quote bank's export formats; add one with ``QUOTE_FORMATS.register("name.v1", fn)`` or
#: a ``lived_experience.quote_formats`` entry point
QUOTE_FORMATS: Registry[QuoteWriter] = Registry(
    "quote bank format",
    entry_point_group="lived_experience.quote_formats",
    aliases={"docx": "docx.v1", "markdown": "markdown.v1", "csv": "csv.v1", "mix": "mix.v1"},
)
QUOTE_FORMATS.register("docx.v1", _docx)
QUOTE_FORMATS.register("markdown.v1", _markdown)
QUOTE_FORMATS.register("csv.v1", _csv)
QUOTE_FORMATS.register("mix.v1", _mix)


def write_quote_bank(
    bank: QuoteBank,
    codebook: Codebook,
    destinations: Mapping[str, str | Path],
    include_flagged: bool = False,
    settings: QuoteSettings | None = None,
) -> list[Path]:
    """Write ``bank`` in each format named in ``destinations`` (``{"docx": path, ...}``).

    ``settings`` gives the Word file's paper and marking and the scope of ``where``."""
    settings = settings or QuoteSettings()
    writers = {name: QUOTE_FORMATS.get(name) for name in destinations}  # fail before writing
    written = []
    for name, destination in destinations.items():
        writers[name](bank, codebook, Path(destination), include_flagged, settings)
        written.append(Path(destination))
    return written
