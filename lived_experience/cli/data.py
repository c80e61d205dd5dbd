"""``generate-synthetic`` and ``ingest``: parse, call the library, print."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lived_experience.cli.common import clean_errors, out


@clean_errors
def generate_synthetic(
    output_dir: Annotated[
        Path, typer.Option(help="Folder to write the synthetic study to.")
    ] = Path("data/synthetic"),
    seed: Annotated[
        int,
        typer.Option(help="Random seed (the default reproduces the bundled data byte for byte)."),
    ] = 20241122,
) -> None:
    """Write the synthetic survey, transcripts, gold annotations and labels."""
    from lived_experience.synthetic.generate import generate_study, write_study

    write_study(output_dir, generate_study(seed=seed))
    out.print(f"synthetic study written to {output_dir}")


@clean_errors
def ingest(
    input_path: Annotated[
        Path,
        typer.Argument(metavar="INPUT", help="Survey export (.csv/.xlsx) or transcript folder."),
    ],
    output: Annotated[Path, typer.Option(help="Segments table to write (.csv or .xlsx).")],
    id_column: Annotated[str | None, typer.Option(help="Respondent id column (surveys).")] = None,
    text_column: Annotated[
        list[str] | None, typer.Option(help="Free-text column; repeat for several (surveys).")
    ] = None,
) -> None:
    """Read a survey export or transcript folder into the segments table."""
    from lived_experience.ingest import read_segments
    from lived_experience.output import write_table

    segments = read_segments(input_path, id_column, text_column or [])
    write_table(segments, output, escape_columns=["text", "speaker"])
    out.print(
        f"{len(segments)} segments from {segments['document_id'].nunique()} documents "
        f"written to {output}"
    )
