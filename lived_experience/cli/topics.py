"""``topics``: parse, call :func:`lived_experience.topics.model_topics`, write, print."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lived_experience.cli.common import clean_errors, console, out


@clean_errors
def topics(
    input_path: Annotated[
        Path,
        typer.Argument(
            metavar="INPUT", help="Anonymised survey export (or coded CSV) or transcript folder."
        ),
    ],
    output_dir: Annotated[Path, typer.Option(help="Folder for topics.csv, charts and model.")],
    text_column: Annotated[list[str] | None, typer.Option(help="Free-text column; repeat.")] = None,
    id_column: Annotated[str | None, typer.Option(help="Unique id column.")] = None,
    codebook: Annotated[
        Path | None,
        typer.Option(help="Codebook YAML: guides the topics and finds candidate new codes."),
    ] = None,
    group_column: Annotated[
        list[str] | None,
        typer.Option(
            help="Break topics down by this column; repeat (default: ethnic_group, "
            "staff_group, org_code where present)."
        ),
    ] = None,
    wave_column: Annotated[
        str | None, typer.Option(help="Survey wave or date column (default: found by name).")
    ] = None,
    min_topic_size: Annotated[
        int | None, typer.Option(help="Smallest topic (default scales with the corpus).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same topics.")] = 42,
    k: Annotated[int, typer.Option(help="Suppress group counts under k.")] = 11,
    guided: Annotated[bool, typer.Option(help="Seed topics with the codebook's keywords.")] = True,
    rescan: Annotated[
        bool,
        typer.Option(help="Scan representative segments with the anonymiser before writing."),
    ] = True,
    embedding_model: Annotated[
        str | None,
        typer.Option(help="sentence-transformers folder (default all-MiniLM-L6-v2 from PyPI)."),
    ] = None,
    spacy_model: Annotated[
        str | None, typer.Option(help="spaCy model for the re-scan (default en_core_web_md).")
    ] = None,
    secret_file: Annotated[
        Path | None,
        typer.Option(
            help="Pseudonym secret for names the re-scan finds (default: the one anonymise "
            "uses, in ~/.config/lived_experience)."
        ),
    ] = None,
) -> None:
    """Find emergent topics (BERTopic), compare them with the codebook, break them down by group."""
    from lived_experience import topics as stage
    from lived_experience.codebook import load_codebook
    from lived_experience.coding import Embedder
    from lived_experience.errors import validated
    from lived_experience.ingest import read_text_table

    table = read_text_table(input_path, text_column, id_column)
    settings = validated(
        stage.TopicSettings, "topics", seed=seed, k=k, guided=guided, min_topic_size=min_topic_size
    )
    anonymiser = None
    if rescan:
        from lived_experience.anonymise import AnonymiseSettings

        # the project's secret, never a fixed one: a pseudonym made with a known key can be
        # reversed by trying a list of names
        anonymiser = AnonymiseSettings(
            spacy_model=spacy_model, secret_file=secret_file
        ).build_anonymiser()
    with console.status("fitting topics (UMAP, HDBSCAN, c-TF-IDF)"):
        result = stage.model_topics(
            table.frame,
            table.text_columns,
            table.id_column,
            settings=settings,
            embedder=Embedder(embedding_model),
            codebook=load_codebook(codebook) if codebook else None,
            group_columns=group_column,
            wave_column=wave_column,
            anonymiser=anonymiser,
        )
        written = stage.write_topic_outputs(result, output_dir)
    topics_table = result.topics
    real = topics_table[topics_table["topic"] != -1]
    out.print(
        f"{len(real)} topics over {int(topics_table['size'].sum())} answers; "
        f"{result.unassigned_share:.1%} unassigned (before outlier reduction "
        f"{result.outliers_before_reduction:.1%})"
    )
    if "candidate_new_code" in topics_table:
        new = real[real["candidate_new_code"].fillna(False).astype(bool)]
        out.print(f"{len(new)} candidate new code(s): topics {', '.join(map(str, new['topic']))}")
    out.print(f"wrote {len(written)} files to {output_dir}")
