"""``code``, ``crosstab``, ``agreement``, ``export-codebook``, ``import-codebook``: parse, call
:mod:`lived_experience.coding`, print."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from lived_experience.cli.common import clean_errors, console, out


@clean_errors
def code(
    input_path: Annotated[
        Path, typer.Argument(metavar="INPUT", help="Survey export or transcript folder.")
    ],
    codebook: Annotated[Path, typer.Option(help="Codebook YAML.")],
    output: Annotated[Path, typer.Option(help="Coded rows: codes and score:<code> columns.")],
    text_column: Annotated[list[str] | None, typer.Option(help="Free-text column; repeat.")] = None,
    id_column: Annotated[str | None, typer.Option(help="Unique id column.")] = None,
    segments: Annotated[
        Path | None, typer.Option(help="Write sentence-level assignments with evidence.")
    ] = None,
    coder: Annotated[str, typer.Option(help="hybrid, rule, embedding or learned.")] = "hybrid",
    calibrate: Annotated[
        Path | None,
        typer.Option(
            help="Hand-coded sample (id, codes) to calibrate thresholds on; to learn from a "
            "small sample, --train does better (docs/coding_fewshot.md)."
        ),
    ] = None,
    train: Annotated[
        Path | None,
        typer.Option(
            help="Hand-coded sample (CSV id,codes, the coding-sample sheet or a .qdpx) to train on."
        ),
    ] = None,
    labels_id_column: Annotated[
        str, typer.Option(help="Id column of --calibrate / --train files.")
    ] = "id",
    embedding_model: Annotated[
        str | None,
        typer.Option(help="sentence-transformers folder (default all-MiniLM-L6-v2 from PyPI)."),
    ] = None,
    qdpx: Annotated[
        Path | None,
        typer.Option(help="Also write the coded project for NVivo/ATLAS.ti/MAXQDA (.qdpx)."),
    ] = None,
    engine: Annotated[str, typer.Option(help="local, or spark (docs/spark.md).")] = "local",
    spark_master: Annotated[
        str | None, typer.Option(help="Spark master for --engine spark (default local[2]).")
    ] = None,
) -> None:
    """Apply a codebook: every row gets its codes, scores and evidence."""
    from lived_experience import coding
    from lived_experience.codebook import load_codebook
    from lived_experience.coding.train import (
        UNCALIBRATED_WARNING,
        describe_expected_kappa,
        describe_unfitted_codes,
    )
    from lived_experience.errors import validated
    from lived_experience.ingest import read_text_table
    from lived_experience.output import write_table

    book = load_codebook(codebook)
    table = read_text_table(input_path, text_column, id_column)
    settings = validated(
        coding.CodingSettings, "code", coder=coder, embedding_model=embedding_model
    )
    result = coding.run(
        table.frame,
        book,
        settings,
        text_columns=table.text_columns,
        id_column=table.id_column,
        labels=coding.read_labels(calibrate, labels_id_column, codebook=book)
        if calibrate
        else None,
        training_labels=coding.read_labels(train, labels_id_column, codebook=book)
        if train
        else None,
        engine=engine,
        spark_master=spark_master,
        near=output.parent,
    )
    if "expected_kappa" in result.record:
        out.print(
            describe_expected_kappa(
                result.record["expected_kappa"],
                result.record["trained_on"],
                "nested" if result.record["expected_kappa_from"].startswith("nested") else "inner",
            )
        )
        unfitted = describe_unfitted_codes(
            result.record["codes_without_fitted_threshold"], result.record["learnable_kappa"]
        )
        if unfitted:
            console.print(f"[bold yellow]warning:[/] {unfitted}", highlight=False)
    elif result.expected_agreement is not None:
        out.print(result.expected_agreement.to_string(index=False))
    if not result.record["calibrated"]:
        console.print(f"[bold yellow]warning:[/] {UNCALIBRATED_WARNING}", highlight=False)
    if result.review_queue is not None:
        write_table(result.review_queue, output.with_name(output.name + ".review_queue.csv"))
        out.print(
            f"{len(result.review_queue)} least certain answers to code by hand next: "
            f"{output.name}.review_queue.csv"
        )
    coded = result.coded
    write_table(coded.frame, output, escape_columns=table.text_columns)
    coding.write_settings_record(output, result.record)
    if segments is not None:
        write_table(coded.segments, segments, escape_columns=["sentence", "evidence"])
    if qdpx is not None:
        from lived_experience.coding.refi_qda import write_survey_qdpx

        write_survey_qdpx(book, coded, table.text_columns, table.id_column, qdpx)
        out.print(f"REFI-QDA project: {qdpx}")
    counts = coded.rows_per_code()
    view = Table(title=f"{len(coded.frame)} rows coded with {result.record['coder']}")
    view.add_column("code")
    view.add_column("rows", justify="right")
    for code_id in book.code_ids:
        view.add_row(code_id, str(counts.get(code_id, 0)))
    out.print(view)
    out.print(f"coded output: {output}")


@clean_errors
def crosstab(
    coded: Annotated[Path, typer.Argument(help="Output of lived-experience code.")],
    by: Annotated[str, typer.Option(help="Respondent attribute column, e.g. ethnic_group.")],
    codebook: Annotated[Path, typer.Option(help="Codebook YAML (the codes to report).")],
    output: Annotated[Path, typer.Option(help="Table to write (.csv or .xlsx).")],
    k: Annotated[int, typer.Option(help="Suppress groups smaller than this.")] = 11,
) -> None:
    """Code prevalence by a respondent attribute, with Wilson 95% intervals."""
    from lived_experience.codebook import load_codebook
    from lived_experience.coding import prevalence_by_group
    from lived_experience.ingest import read_survey
    from lived_experience.output import write_table

    frame = read_survey(coded, text_columns=["codes", by])
    table = prevalence_by_group(frame, by, load_codebook(codebook).code_ids, k=k)
    write_table(table, output)
    out.print(
        f"{len(table)} cells written to {output}; {int(table['suppressed'].sum())} "
        f"suppressed (fewer than {k} respondents)"
    )


@clean_errors
def export_codebook(
    codebook: Annotated[Path, typer.Argument(help="Codebook YAML.")],
    output: Annotated[Path, typer.Option(help="REFI-QDA codebook (.qdc) to write.")],
) -> None:
    """Write a codebook as REFI-QDA .qdc for NVivo, ATLAS.ti or MAXQDA."""
    from lived_experience.codebook import load_codebook
    from lived_experience.coding.refi_qda import write_qdc

    write_qdc(load_codebook(codebook), output)
    out.print(f"codebook written to {output}")


@clean_errors
def import_codebook(
    qdc: Annotated[Path, typer.Argument(help="REFI-QDA codebook (.qdc).")],
    output: Annotated[Path, typer.Option(help="Draft codebook YAML to write.")],
    codebook_id: Annotated[str, typer.Option(help="Id for the new codebook.")] = "imported",
) -> None:
    """Turn a .qdc into a draft codebook YAML to complete (examples, guidance)."""
    from lived_experience.coding.refi_qda import qdc_to_codebook_yaml

    qdc_to_codebook_yaml(qdc, output, codebook_id)
    out.print(
        f"draft codebook written to {output}: add at least three examples per code, "
        "then check it with lived-experience code --codebook"
    )


@clean_errors
def agreement(
    coding_a: Annotated[Path, typer.Argument(metavar="A.csv", help="A coding (e.g. the coder).")],
    coding_b: Annotated[
        Path, typer.Argument(metavar="B.csv", help="The reference coding (e.g. a human).")
    ],
    id_column: Annotated[str, typer.Option(help="Id column in both files.")] = "id",
    codebook: Annotated[
        Path | None,
        typer.Option(
            help="Report every code of this codebook (default: codes seen in either file)."
        ),
    ] = None,
    output: Annotated[Path | None, typer.Option(help="Write the table (CSV).")] = None,
) -> None:
    """Kappa, Krippendorff's alpha, Gwet's AC1, % agreement, precision, recall, F1."""
    from lived_experience.codebook import load_codebook
    from lived_experience.coding import agreement as compute_agreement
    from lived_experience.ingest import read_survey
    from lived_experience.output import write_table

    code_ids = load_codebook(codebook).code_ids if codebook else None
    table = compute_agreement(
        read_survey(coding_a, id_column=id_column, text_columns=["codes"]),
        read_survey(coding_b, id_column=id_column, text_columns=["codes"]),
        id_column=id_column,
        code_ids=code_ids,
    )
    view = Table(title="agreement (alpha >= 0.800 reliable, >= 0.667 tentative)")
    for column in (
        "code",
        "support",
        "kappa",
        "alpha",
        "ac1",
        "percent_agreement",
        "f1",
        "reading",
    ):
        view.add_column(column)
    for row in table.itertuples(index=False):
        view.add_row(
            str(row.code),
            str(row.support),
            f"{row.kappa:.3f}",
            f"{row.alpha:.3f}",
            f"{row.ac1:.3f}",
            f"{row.percent_agreement:.1f}",
            f"{row.f1:.3f}",
            str(row.reading),
        )
    out.print(view)
    if output:
        write_table(table, output)
