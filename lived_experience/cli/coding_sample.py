"""``lived-experience coding-sample``: choose answers to hand-code and write the coding sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lived_experience.cli.common import clean_errors, out


@clean_errors
def coding_sample(
    input_path: Annotated[Path, typer.Argument(metavar="INPUT", help="Survey export.")],
    codebook: Annotated[Path, typer.Option(help="Codebook YAML.")],
    output: Annotated[Path, typer.Option(help="The coding sheet to write (.xlsx).")],
    text_column: Annotated[list[str], typer.Option(help="Free-text column; repeat.")],
    id_column: Annotated[str, typer.Option(help="Unique id column.")],
    n: Annotated[int, typer.Option("--n", help="How many answers to choose.")] = 50,
    labelled: Annotated[
        list[Path] | None,
        typer.Option(
            help="Answers coded in earlier rounds (CSV id,codes or a coding sheet); repeat."
        ),
    ] = None,
    embedding_model: Annotated[
        str | None,
        typer.Option(help="sentence-transformers folder (default all-MiniLM-L6-v2 from PyPI)."),
    ] = None,
) -> None:
    """Pick the answers whose hand-coding teaches the coder most; write them as an XLSX sheet.

    Fill in the sheet (1 where a code applies, 1 under no_code where none does) and pass it to
    `code --train SHEET.xlsx`, or back here as --labelled for the next round.
    """
    from lived_experience.codebook import load_codebook
    from lived_experience.coding.coding_sheet import sheet_rows, write_coding_sheet
    from lived_experience.coding.embeddings import Embedder
    from lived_experience.coding.labels import read_label_sets
    from lived_experience.coding.sampling import choose_for_coding
    from lived_experience.coding.train import describe_expected_kappa
    from lived_experience.errors import ConfigError
    from lived_experience.ingest import read_survey

    if output.suffix.lower() != ".xlsx":
        raise ConfigError(f"--output '{output.name}' must end in .xlsx (it is an Excel sheet).")
    book = load_codebook(codebook)
    frame = read_survey(input_path, id_column=id_column, text_columns=text_column)
    labels: dict[str, set[str]] = {}
    for path in labelled or []:
        labels.update(read_label_sets(path, book))
    sample = choose_for_coding(
        book, frame, text_column, id_column, n=n, labels=labels, embedder=Embedder(embedding_model)
    )
    out.print(
        describe_expected_kappa(
            sample.expected_kappa, sample.labelled, sample.expected_kappa_method
        )
    )
    if sample.unfitted_codes:
        out.print(
            f"{len(sample.unfitted_codes)} code(s) the coded answers cannot teach the coder yet "
            f"(no threshold could be fitted): {', '.join(sample.unfitted_codes)}; this sheet "
            "includes answers that may show them."
        )
    rows = sheet_rows(frame, text_column, id_column, sample.positions)
    rows["why_chosen"] = sample.reasons
    write_coding_sheet(rows, book, output)
    out.print(
        f"{len(rows)} answers to hand-code written to {output} (sheet 'Coding'; the codebook "
        "is on sheet 'Codebook'). Then: lived-experience code ... --train "
        f"{output.name}"
    )
