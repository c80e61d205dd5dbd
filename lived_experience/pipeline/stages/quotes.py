"""Stage ``quotes``: the quote bank (Word, Markdown, CSV) from the coded segments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lived_experience.pipeline.config import StudyConfig
from lived_experience.pipeline.stage import CODED_SEGMENTS, Stage, StageContext

FORMATS = ("docx", "markdown", "csv")
OUTPUTS = (
    "shareable/quotes/quote_bank.docx",
    "shareable/quotes/quote_bank.md",
    "shareable/quotes/quote_bank.csv",
)


def inputs(config: StudyConfig, folder: Path) -> dict[str, Path | None]:
    return {"segments": folder / CODED_SEGMENTS, "codebook": config.coding.codebook}


def settings(config: StudyConfig) -> dict[str, Any]:
    return {
        "quotes": config.quotes.model_dump(mode="json"),
        "k": config.anonymise.k,
        "embedding_model": config.coding.embedding_model,
    }


def run(ctx: StageContext) -> tuple[list[Path], dict[str, Any]]:
    from lived_experience import quotes
    from lived_experience.ingest import read_table

    codebook = ctx.codebook()
    bank = quotes.run(
        read_table(ctx.path(CODED_SEGMENTS)),
        codebook,
        ctx.config.quotes,
        embedder=ctx.embedder(),
        anonymiser=ctx.anonymiser(),
        k=ctx.config.anonymise.k,
    )
    written = quotes.write_quote_bank(
        bank,
        codebook,
        {name: ctx.path(relative) for name, relative in zip(FORMATS, OUTPUTS, strict=True)},
        settings=ctx.config.quotes,
    )
    flagged = int((bank.quotes["flags"] != "").sum())
    summary = {"quotes": len(bank.quotes), "flagged": flagged}
    ctx.echo(f"    {len(bank.quotes)} quotes; {flagged} flagged by the safety re-scan")
    return written, summary


STAGE = Stage("quotes", "quotes.v1", "quote bank", inputs, settings, run, outputs=OUTPUTS)
