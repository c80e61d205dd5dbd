"""``anonymise``, ``evaluate-anonymiser``, ``disclosure-check``: parse, call
:mod:`lived_experience.anonymise`, print."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from lived_experience.cli.common import clean_errors, out, passphrase, progress_bar


@clean_errors
def anonymise(
    input_path: Annotated[
        Path, typer.Argument(metavar="INPUT", help="CSV, XLSX or a transcript folder.")
    ],
    output: Annotated[Path, typer.Option(help="Anonymised output (.csv or .xlsx).")],
    text_column: Annotated[
        list[str] | None, typer.Option(help="Free-text column to anonymise; repeat for several.")
    ] = None,
    id_column: Annotated[str | None, typer.Option(help="Respondent id column.")] = None,
    review: Annotated[Path | None, typer.Option(help="SENSITIVE HTML review page.")] = None,
    entities: Annotated[
        Path | None,
        typer.Option(help="SENSITIVE CSV of every detection (edit it into a decisions file)."),
    ] = None,
    decisions: Annotated[
        Path | None, typer.Option(help="Reviewer's decisions CSV to apply (reject / add).")
    ] = None,
    key: Annotated[
        Path | None,
        typer.Option(
            help="Write the encrypted re-identification key here (outside the output folder)."
        ),
    ] = None,
    secret_file: Annotated[
        Path | None,
        typer.Option(
            help="Pseudonym secret (default: created once in ~/.config/lived_experience)."
        ),
    ] = None,
    operator: Annotated[
        str, typer.Option(help="pseudonym, type_tag, redact or surrogate.")
    ] = "pseudonym",
    spacy_model: Annotated[
        str | None, typer.Option(help="spaCy package or folder (default en_core_web_md from PyPI).")
    ] = None,
    allow: Annotated[list[str] | None, typer.Option(help="Value never removed; repeat.")] = None,
    deny: Annotated[list[str] | None, typer.Option(help="Value always removed; repeat.")] = None,
    other_scripts: Annotated[
        bool,
        typer.Option(
            "--other-scripts/--keep-other-scripts",
            help="Replace words in a non-Latin script (names; whole answers in another script).",
        ),
    ] = True,
    quasi_identifier: Annotated[
        list[str] | None, typer.Option(help="Attribute column for disclosure control; repeat.")
    ] = None,
    k: Annotated[int, typer.Option(help="Smallest group size allowed.")] = 11,
    allow_key_in_output: Annotated[
        bool, typer.Option(help="Allow --key inside the output folder.")
    ] = False,
    chunk_size: Annotated[int, typer.Option(help="Rows per chunk (memory bound).")] = 5000,
    sheet: Annotated[
        str | None, typer.Option(help="XLSX input: the worksheet's name (default: the first).")
    ] = None,
    engine: Annotated[str, typer.Option(help="local, or spark (docs/spark.md).")] = "local",
    spark_master: Annotated[
        str | None, typer.Option(help="Spark master for --engine spark (default local[2]).")
    ] = None,
) -> None:
    """Remove identifiers from free text; keep ethnicity, roles and NHS terms."""
    from lived_experience import anonymise as stage
    from lived_experience.anonymise import run_log as logs
    from lived_experience.anonymise.files import preflight_anonymise, table_columns
    from lived_experience.anonymise.reid_key import write_key
    from lived_experience.errors import validated
    from lived_experience.ingest.survey import count_responses

    settings = validated(
        stage.AnonymiseSettings,
        "anonymise",
        spacy_model=spacy_model,
        operator=operator,
        allow_list=tuple(allow or ()),
        deny_list=tuple(deny or ()),
        other_scripts=other_scripts,
        k=k,
        decisions=decisions,
        secret_file=secret_file,
        chunk_size=chunk_size,
    )
    stage.check_text_columns(input_path, text_column or [])  # before asking for a passphrase
    secret = passphrase() if key else ""
    # every check that can fail runs before the first byte is written
    preflight_anonymise(
        input_path,
        output,
        text_column or [],
        id_column,
        quasi_identifier or [],
        entities,
        review,
        decisions,
        key,
        secret,
        allow_key_in_output,
    )
    with progress_bar("anonymising", time_left=True) as bar:
        total = None if input_path.is_dir() else count_responses(input_path)
        task = bar.add_task("rows", total=total)
        result = stage.run(
            input_path,
            output,
            settings,
            text_columns=text_column or [],
            id_column=id_column,
            quasi_identifiers=quasi_identifier or [],
            entities_path=entities,
            review_path=review,
            progress=lambda n: bar.advance(task, n),
            engine=engine,
            spark_master=spark_master,
            sheet=sheet if sheet is not None else 0,
        )
    summary = result.summary
    report = result.disclosure
    unprotected: list[str] = []
    if not input_path.is_dir():
        unprotected = logs.unprotected_attributes(
            table_columns(input_path), quasi_identifier or [], text_column or []
        )
    if report is not None:
        out.print(logs.describe_disclosure(report, quasi_identifier or []))
    if unprotected:
        out.print(f"[yellow]{logs.unprotected_warning(unprotected, k)}[/yellow]")
    if summary.resumed_rows:
        out.print(f"resumed after an interruption: {summary.resumed_rows} rows were already done")
    if key:
        n = write_key(
            summary.tag_values,
            key,
            secret,
            output_dir=output.parent,
            allow_in_output=allow_key_in_output,
        )
        out.print(f"re-identification key ({n} tags) encrypted to {key}")
    table = Table(title=f"{summary.rows} rows, {summary.cells_changed} texts changed")
    table.add_column("entity type")
    table.add_column("replaced", justify="right")
    for entity_type, count in sorted(summary.by_type.items()):
        table.add_row(entity_type, str(count))
    table.add_row("indirect identifiers flagged", str(summary.flagged_indirect))
    table.add_row("  of which generalised in the output", str(summary.generalised_indirect))
    out.print(table)
    out.print(f"anonymised output: {output}")
    log_path = logs.write_run_log(
        logs.run_log(
            summary,
            input_name=input_path.name,
            output_name=output.name,
            text_columns=text_column or [],
            settings={"operator": operator, "k": k, "spacy_model": settings.spacy_model},
            disclosure=report,
            quasi_identifiers=quasi_identifier or [],
            unprotected=unprotected,
        ),
        logs.run_log_path(output),
    )
    out.print(f"run log (counts only, shareable with the output): {log_path}")
    out.print(logs.next_step(output, review))


@clean_errors
def evaluate_anonymiser(
    gold: Annotated[Path, typer.Argument(help="Gold annotations (JSONL).")],
    output: Annotated[Path | None, typer.Option(help="Write the metrics table (CSV).")] = None,
    baseline: Annotated[
        bool, typer.Option(help="Also score plain Presidio (AnalyzerEngine defaults, same model).")
    ] = True,
    spacy_model: Annotated[str | None, typer.Option(help="spaCy package or folder.")] = None,
    leaks: Annotated[
        Path | None, typer.Option(help="SENSITIVE CSV of the gold spans left in the text.")
    ] = None,
) -> None:
    """Recall per entity type and name origin, precision, and the keep rate of descriptors."""
    from lived_experience.anonymise import Anonymiser, AnonymiserSettings
    from lived_experience.anonymise.evaluate import (
        compare_with_plain_presidio,
        leaked_spans,
        load_gold,
    )
    from lived_experience.output import write_table

    records = load_gold(gold)
    anonymiser = Anonymiser(AnonymiserSettings(spacy_model=spacy_model), secret=b"\0" * 32)
    result, spans = compare_with_plain_presidio(records, anonymiser, spacy_model, baseline)
    table = Table(title=f"anonymiser evaluation on {len(records)} gold texts")
    for column in ("system", "group_kind", "group", "support", "recall", "precision"):
        table.add_column(column)
    for row in result.itertuples():
        table.add_row(
            row.system,
            row.group_kind,
            row.group,
            str(row.support),
            "" if row.recall != row.recall else f"{row.recall:.4f}",  # NaN: no support
            "" if row.precision != row.precision else f"{row.precision:.4f}",
        )
    out.print(table)
    if output:
        write_table(result, output)
    if leaks:
        write_table(leaked_spans(records, spans), leaks, escape_columns=["value"], mode=0o600)


@clean_errors
def disclosure_check(
    input_path: Annotated[Path, typer.Argument(metavar="INPUT", help="Survey export.")],
    quasi_identifier: Annotated[list[str], typer.Option(help="Attribute column; repeat.")],
    k: Annotated[int, typer.Option(help="Smallest group size allowed.")] = 11,
    output: Annotated[
        Path | None, typer.Option(help="Write a generalised / suppressed copy that meets k.")
    ] = None,
) -> None:
    """Report attribute combinations shared by fewer than k respondents; optionally fix them."""
    from lived_experience.anonymise.disclosure import enforce_k_anonymity, small_groups
    from lived_experience.ingest import read_survey
    from lived_experience.output import write_table

    frame = read_survey(input_path)
    small = small_groups(frame, quasi_identifier, k)
    out.print(
        f"{len(small)} combinations of {', '.join(quasi_identifier)} have fewer than "
        f"{k} respondents ({int(small['count'].sum()) if len(small) else 0} rows)."
    )
    if output:
        fixed, report = enforce_k_anonymity(frame, quasi_identifier, k)
        write_table(fixed, output)
        out.print(report.as_frame().to_string(index=False))
        out.print(f"written to {output}")
