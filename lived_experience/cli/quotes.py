"""``quotes``: parse, call :func:`lived_experience.quotes.run`, write, print."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lived_experience.cli.common import clean_errors, out


@clean_errors
def quotes(
    coded_segments: Annotated[
        Path,
        typer.Argument(
            metavar="CODED_SEGMENTS.csv", help="What lived-experience code --segments writes."
        ),
    ],
    codebook: Annotated[Path, typer.Option(help="Codebook YAML.")],
    output: Annotated[Path, typer.Option(help="Word document (.docx) to write.")],
    per_code: Annotated[int, typer.Option(help="Quotes per code.")] = 5,
    markdown: Annotated[Path | None, typer.Option(help="Also write Markdown.")] = None,
    csv: Annotated[
        Path | None, typer.Option(help="Also write CSV (all quotes, with flags).")
    ] = None,
    mix: Annotated[
        Path | None,
        typer.Option(help="Also write the shortlist's mix beside everyone who raised each code."),
    ] = None,
    include_flagged: Annotated[
        bool, typer.Option(help="Put quotes flagged by the safety re-scan in the Word file too.")
    ] = False,
    k: Annotated[int, typer.Option(help="Attributions must fit at least k respondents.")] = 11,
    spacy_model: Annotated[str | None, typer.Option(help="spaCy model for the re-scan.")] = None,
    embedding_model: Annotated[
        str | None, typer.Option(help="sentence-transformers folder.")
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(help="COLUMN=VALUE: draw quotes only from these respondents (repeatable)."),
    ] = None,
    balance: Annotated[
        str, typer.Option(help="proportional (mix like who raised the code) or none.")
    ] = "proportional",
    placeholders: Annotated[
        str, typer.Option(help="placeholder ([colleague]), surrogate (invented names) or tags.")
    ] = "placeholder",
    paper: Annotated[str, typer.Option(help="A4 or Letter.")] = "A4",
    marking: Annotated[
        str, typer.Option(help="Protective marking in header and footer ('' for none).")
    ] = "OFFICIAL-SENSITIVE",
) -> None:
    """Representative, diverse, safe quotes per code, for report authors."""
    from lived_experience import quotes as stage
    from lived_experience.anonymise import Anonymiser, AnonymiserSettings
    from lived_experience.codebook import load_codebook
    from lived_experience.coding import Embedder
    from lived_experience.errors import validated
    from lived_experience.ingest import read_table

    book = load_codebook(codebook)
    settings = validated(
        stage.QuoteSettings,
        "quotes",
        per_code=per_code,
        where=stage.parse_where(where or []),
        balance=balance,
        placeholders=placeholders,
        paper=paper,
        marking=marking,
    )
    bank = stage.run(
        read_table(coded_segments, required_columns=stage.CODED_SEGMENT_COLUMNS),
        book,
        settings,
        embedder=Embedder(embedding_model),
        anonymiser=Anonymiser(AnonymiserSettings(spacy_model=spacy_model), secret=b"\0" * 32),
        k=k,
    )
    destinations = {"docx": output, "markdown": markdown, "csv": csv, "mix": mix}
    stage.write_quote_bank(
        bank,
        book,
        {name: path for name, path in destinations.items() if path is not None},
        include_flagged=include_flagged,
        settings=settings,
    )
    flagged = int((bank.quotes["flags"] != "").sum())
    out.print(
        f"{len(bank.quotes)} quotes for {bank.quotes['code'].nunique()} codes written to "
        f"{output}; {flagged} flagged by the safety re-scan"
        + ("" if include_flagged else " (left out of the Word file)")
    )
