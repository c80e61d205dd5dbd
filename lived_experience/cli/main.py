"""``lived-experience``: a thin layer over the library.

Each command parses its options, calls the library, and turns a ``LivedExperienceError``
into a one-line message on stderr and exit code 2. No logic lives only here.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from lived_experience import __version__
from lived_experience.errors import LivedExperienceError

app = typer.Typer(
    name="lived-experience",
    help="Anonymise, code and analyse what ethnic minority NHS staff say about their work. "
    "Stages: ingest -> anonymise -> code -> topics -> wres -> quotes; run does them all.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True)
out = Console()
F = TypeVar("F", bound=Callable[..., Any])


def clean_errors(func: F) -> F:
    """Turn library errors into one clean line and exit code 2 (no traceback, no data)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LivedExperienceError as exc:
            console.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
            raise typer.Exit(code=2) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        out.print(f"lived-experience {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """lived_experience command line."""


@app.command("generate-synthetic")
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


@app.command()
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


def _passphrase() -> str:
    from lived_experience.anonymise.reid_key import PASSPHRASE_ENV

    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    if not sys.stdin.isatty():
        raise LivedExperienceError(
            f"--key needs a passphrase: set {PASSPHRASE_ENV} or run interactively."
        )
    return str(
        typer.prompt(
            "Passphrase for the re-identification key", hide_input=True, confirmation_prompt=True
        )
    )


@app.command()
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
    quasi_identifier: Annotated[
        list[str] | None, typer.Option(help="Attribute column for disclosure control; repeat.")
    ] = None,
    k: Annotated[int, typer.Option(help="Smallest group size allowed.")] = 11,
    allow_key_in_output: Annotated[
        bool, typer.Option(help="Allow --key inside the output folder.")
    ] = False,
    sheet: Annotated[
        str | None, typer.Option(help="XLSX input: the worksheet's name (default: the first).")
    ] = None,
    chunk_size: Annotated[int, typer.Option(help="Rows per chunk (memory bound).")] = 5000,
) -> None:
    """Remove identifiers from free text; keep ethnicity, roles and NHS terms."""
    from lived_experience.anonymise import Anonymiser, AnonymiserSettings
    from lived_experience.anonymise.files import anonymise_file
    from lived_experience.anonymise.pseudonyms import load_or_create_secret
    from lived_experience.anonymise.reid_key import write_key
    from lived_experience.anonymise.review import Decisions

    if not input_path.is_dir() and not text_column:
        from lived_experience.ingest.survey import survey_columns

        raise LivedExperienceError(
            "name the free-text column(s) to anonymise. Fix: add --text-column COLUMN. "
            f"Columns in '{input_path}': {survey_columns(input_path) or 'unreadable'}."
        )
    passphrase = _passphrase() if key else ""
    settings = AnonymiserSettings(
        spacy_model=spacy_model,
        operator=operator,
        allow_list=tuple(allow or ()),
        deny_list=tuple(deny or ()),
    )
    anonymiser = Anonymiser(settings, secret=load_or_create_secret(secret_file))
    from lived_experience.ingest.survey import count_responses

    with Progress(
        TextColumn("anonymising"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("rows, elapsed"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        total = None if input_path.is_dir() else count_responses(input_path)
        task = bar.add_task("rows", total=total)
        summary = anonymise_file(
            input_path,
            output,
            text_column or [],
            id_column,
            anonymiser,
            entities_path=entities,
            review_path=review,
            decisions=Decisions.read(decisions) if decisions else None,
            chunk_size=chunk_size,
            progress=lambda n: bar.advance(task, n),
            sheet=sheet if sheet is not None else 0,
        )
    from lived_experience.anonymise import run_log as logs

    report = None
    unprotected: list[str] = []
    if not input_path.is_dir():
        from lived_experience.ingest import read_survey

        frame = read_survey(output)
        unprotected = logs.unprotected_attributes(
            list(frame.columns), quasi_identifier or [], text_column or []
        )
        if quasi_identifier:
            from lived_experience.anonymise.disclosure import enforce_k_anonymity
            from lived_experience.output import write_table

            protected, report = enforce_k_anonymity(frame, quasi_identifier, k)
            write_table(protected, output, escape_columns=text_column or [])
            out.print(logs.describe_disclosure(report, quasi_identifier))
        if unprotected:
            out.print(f"[yellow]{logs.unprotected_warning(unprotected, k)}[/yellow]")
    if summary.resumed_rows:
        out.print(f"resumed after an interruption: {summary.resumed_rows} rows were already done")
    if key:
        n = write_key(
            summary.tag_values,
            key,
            passphrase,
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
    out.print(table)
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
    out.print(f"anonymised output: {output}")
    out.print(f"run log (counts only, shareable with the output): {log_path}")
    if review:
        out.print(
            f"Next: open the review page {review} (SENSITIVE: it shows the original values) "
            "and check every highlight; mark mistakes in the entities CSV and run again with "
            "--decisions. Then code the output: lived-experience code "
            f"{output} --codebook CODEBOOK.yaml ..."
        )
    else:
        out.print(
            "Next: check a sample by hand (add --review REVIEW.html for a page highlighting "
            f"every detection), then code the output: lived-experience code {output} ..."
        )


@app.command("evaluate-anonymiser")
@clean_errors
def evaluate_anonymiser_command(
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
    import pandas as pd

    from lived_experience.anonymise import Anonymiser, AnonymiserSettings
    from lived_experience.anonymise.evaluate import PlainPresidio, evaluate_anonymiser, load_gold
    from lived_experience.models import load_spacy
    from lived_experience.output import write_table

    records = load_gold(gold)
    settings = AnonymiserSettings(spacy_model=spacy_model)
    metrics, spans = evaluate_anonymiser(records, Anonymiser(settings, secret=b"\0" * 32))
    metrics.insert(0, "system", "lived_experience")
    tables = [metrics]
    if baseline:
        base, _ = evaluate_anonymiser(records, PlainPresidio(load_spacy(spacy_model)))
        base.insert(0, "system", "plain_presidio")
        tables.append(base)
    result = pd.concat(tables, ignore_index=True)
    table = Table(title=f"anonymiser evaluation on {len(records)} gold texts")
    for column in ("system", "group_kind", "group", "support", "recall", "precision"):
        table.add_column(column)
    for row in result.itertuples():
        table.add_row(
            row.system,
            row.group_kind,
            row.group,
            str(row.support),
            "" if pd.isna(row.recall) else f"{row.recall:.4f}",
            "" if pd.isna(row.precision) else f"{row.precision:.4f}",
        )
    out.print(table)
    if output:
        write_table(result, output)
    if leaks:
        by_key = {(r.record_id, r.field): r.text for r in records}
        missed = spans[(spans["kind"] == "identifier") & ~spans["removed"]].copy()
        missed["value"] = [
            by_key[(r.record_id, r.field)][r.start : r.end] for r in missed.itertuples()
        ]
        write_table(missed, leaks, escape_columns=["value"], mode=0o600)


@app.command("disclosure-check")
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


def _coding_input(input_path: Path, text_column: list[str] | None, id_column: str | None):  # type: ignore[no-untyped-def]
    from lived_experience.ingest import read_survey, read_transcripts

    if input_path.is_dir():
        return read_transcripts(input_path), ["text"], "segment_id"
    if not text_column or not id_column:
        from lived_experience.ingest.survey import survey_columns

        raise LivedExperienceError(
            "name the free-text column(s) and the id column. Fix: add --text-column COLUMN "
            f"--id-column ID. Columns in '{input_path}': "
            f"{survey_columns(input_path) or 'unreadable'}."
        )
    return (
        read_survey(input_path, id_column=id_column, text_columns=text_column),
        list(text_column),
        id_column,
    )


def _label_sets(path: Path, id_column: str) -> dict[str, set[str]]:
    from lived_experience.ingest import read_survey

    labels = read_survey(path, id_column=id_column, text_columns=["codes"])
    return {
        str(i): {c for c in str(v).split(";") if c}
        for i, v in zip(labels[id_column], labels["codes"], strict=True)
    }


@app.command()
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
        Path | None, typer.Option(help="Hand-coded sample (id, codes) to calibrate thresholds on.")
    ] = None,
    train: Annotated[
        Path | None,
        typer.Option(help="Hand-coded sample (id, codes) to train the learned coder on."),
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
) -> None:
    """Apply a codebook: every row gets its codes, scores and evidence."""
    import json

    import pandas as pd

    from lived_experience.codebook import load_codebook
    from lived_experience.coding import (
        Embedder,
        LearnedCoder,
        build_coder,
        calibrate_thresholds,
        code_frame,
    )
    from lived_experience.output import write_table, write_text_atomic

    book = load_codebook(codebook)
    frame, columns, key = _coding_input(input_path, text_column, id_column)
    embedder = Embedder(embedding_model)
    chosen = (
        build_coder(coder, book) if coder == "rule" else build_coder(coder, book, embedder=embedder)
    )
    settings: dict[str, object] = {
        "coder": getattr(chosen, "name", coder),
        "codebook": book.id,
        "codebook_version": book.version,
        "embedding_model": embedder.model_key,
    }
    if isinstance(chosen, LearnedCoder):
        if train is None:
            raise LivedExperienceError("the learned coder needs --train LABELLED.csv.")
        labels = _label_sets(train, labels_id_column)
        rows = frame[frame[key].astype(str).isin(labels)]
        texts = [" ".join(str(v) for v in values) for values in rows[columns].to_numpy()]
        chosen.fit(texts, [labels[str(i)] for i in rows[key]])
        out.print(chosen.expected_agreement_.to_string(index=False))
        settings["expected_agreement"] = chosen.expected_agreement_.to_dict("records")
        unlabelled = frame[~frame[key].astype(str).isin(labels)]
        queue = chosen.review_queue(
            unlabelled[key].astype(str).tolist(),
            [" ".join(str(v) for v in values) for values in unlabelled[columns].to_numpy()],
        )
        write_table(queue, output.with_name(output.name + ".review_queue.csv"))
        out.print(
            f"{len(queue)} least certain answers to code by hand next: "
            f"{output.name}.review_queue.csv"
        )
    if calibrate is not None:
        labels_frame = pd.DataFrame(
            [
                {"id": k, "codes": ";".join(sorted(v))}
                for k, v in _label_sets(calibrate, labels_id_column).items()
            ]
        )
        thresholds = calibrate_thresholds(chosen, frame, columns, key, labels_frame)  # type: ignore[arg-type]
        settings["thresholds"] = thresholds
    elif hasattr(chosen, "thresholds"):
        settings["thresholds"] = dict(chosen.thresholds)
    coded = code_frame(frame, columns, key, chosen)  # type: ignore[arg-type]
    write_table(coded.frame, output, escape_columns=columns)
    write_text_atomic(
        output.with_name(output.name + ".settings.json"),
        json.dumps(settings, indent=2, sort_keys=True, default=str),
    )
    if segments is not None:
        write_table(coded.segments, segments, escape_columns=["sentence", "evidence"])
    if qdpx is not None:
        from lived_experience.coding.refi_qda import write_survey_qdpx

        write_survey_qdpx(book, coded, columns, key, qdpx)
        out.print(f"REFI-QDA project: {qdpx}")
    counts = coded.segments.groupby("code")["id"].nunique() if len(coded.segments) else {}
    table = Table(title=f"{len(coded.frame)} rows coded with {settings['coder']}")
    table.add_column("code")
    table.add_column("rows", justify="right")
    for code_id in book.code_ids:
        table.add_row(code_id, str(int(counts.get(code_id, 0))))  # type: ignore[union-attr]
    out.print(table)
    out.print(f"coded output: {output}")


@app.command()
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


@app.command()
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
    from lived_experience.anonymise import Anonymiser, AnonymiserSettings
    from lived_experience.codebook import load_codebook
    from lived_experience.coding import Embedder
    from lived_experience.ingest import read_survey
    from lived_experience.quotes import (
        build_quote_bank,
        parse_where,
        write_csv,
        write_docx,
        write_markdown,
        write_mix,
    )

    book = load_codebook(codebook)
    segments = read_survey(coded_segments, text_columns=["id", "code", "answer"])
    for column in ("start", "end"):
        segments[column] = segments[column].astype(int)
    segments["score"] = segments["score"].astype(float)
    bank = build_quote_bank(
        segments,
        book,
        Embedder(embedding_model),
        per_code=per_code,
        anonymiser=Anonymiser(AnonymiserSettings(spacy_model=spacy_model), secret=b"\0" * 32),
        k=k,
        balance=balance,  # type: ignore[arg-type]  # checked by the library
        placeholders=placeholders,  # type: ignore[arg-type]
        where=parse_where(where or []),
    )
    scope = " and ".join(f"{c} = {v}" for c, v in parse_where(where or []).items())
    write_docx(
        bank,
        book,
        output,
        include_flagged=include_flagged,
        paper=paper,  # type: ignore[arg-type]
        marking=marking,
        scope=scope,
    )
    if markdown:
        write_markdown(bank, book, markdown, include_flagged=include_flagged, marking=marking)
    if csv:
        write_csv(bank, csv)
    if mix:
        write_mix(bank, mix)
    flagged = int((bank.quotes["flags"] != "").sum())
    out.print(
        f"{len(bank.quotes)} quotes for {bank.quotes['code'].nunique()} codes written to "
        f"{output}; {flagged} flagged by the safety re-scan"
        + ("" if include_flagged else " (left out of the Word file)")
    )


@app.command("export-codebook")
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


@app.command("import-codebook")
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


@app.command()
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


@app.command()
@clean_errors
def wres(
    returns: Annotated[
        Path, typer.Argument(help="returns.csv: one row per organisation and year.")
    ],
    output: Annotated[Path, typer.Option(help="Indicators table to write (.csv or .xlsx).")],
    bands: Annotated[Path | None, typer.Option(help="bands.csv for indicator 1.")] = None,
    survey: Annotated[
        Path | None,
        typer.Option(help="staff_survey.csv for indicators 5-8 (year = the year the survey ran)."),
    ] = None,
    confidence: Annotated[float, typer.Option(help="Confidence level of the intervals.")] = 0.95,
) -> None:
    """The nine WRES indicators with intervals and flags (docs/wres.md)."""
    from lived_experience.output import write_table
    from lived_experience.wres import (
        compute_indicators,
        read_bands,
        read_returns,
        read_staff_survey,
    )

    if not 0 < confidence < 1:
        raise LivedExperienceError("--confidence must be between 0 and 1, e.g. 0.95.")
    table = compute_indicators(
        read_returns(returns),
        read_bands(bands) if bands else None,
        read_staff_survey(survey) if survey else None,
        confidence=confidence,
    )
    write_table(table, output)
    flagged = table["flag"].str.contains("above_1.25").sum()
    out.print(
        f"{len(table)} indicator rows for {table['org_code'].nunique()} organisations "
        f"and {table['year'].nunique()} years written to {output}; {flagged} relative "
        "likelihoods at or above 1.25"
    )


@app.command()
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
    from lived_experience.codebook import load_codebook
    from lived_experience.coding import Embedder
    from lived_experience.topics import TopicSettings, model_topics, write_topic_outputs

    frame, columns, key = _coding_input(input_path, text_column, id_column)
    settings = TopicSettings(seed=seed, k=k, guided=guided, min_topic_size=min_topic_size)
    anonymiser = None
    if rescan:
        from lived_experience.anonymise import Anonymiser, AnonymiserSettings
        from lived_experience.anonymise.pseudonyms import load_or_create_secret

        # the project's secret, never a fixed one: a pseudonym made with a known key can be
        # reversed by trying a list of names
        anonymiser = Anonymiser(
            AnonymiserSettings(spacy_model=spacy_model),
            secret=load_or_create_secret(secret_file),
        )
    with console.status("fitting topics (UMAP, HDBSCAN, c-TF-IDF)"):
        result = model_topics(
            frame,
            columns,
            key,
            settings=settings,
            embedder=Embedder(embedding_model),
            codebook=load_codebook(codebook) if codebook else None,
            group_columns=group_column,
            wave_column=wave_column,
            anonymiser=anonymiser,
        )
        written = write_topic_outputs(result, output_dir)
    table = result.topics
    real = table[table["topic"] != -1]
    out.print(
        f"{len(real)} topics over {int(table['size'].sum())} answers; "
        f"{result.unassigned_share:.1%} unassigned (before outlier reduction "
        f"{result.outliers_before_reduction:.1%})"
    )
    if "candidate_new_code" in table:
        new = real[real["candidate_new_code"].fillna(False).astype(bool)]
        out.print(f"{len(new)} candidate new code(s): topics {', '.join(map(str, new['topic']))}")
    out.print(f"wrote {len(written)} files to {output_dir}")


@app.command()
@clean_errors
def run(
    study: Annotated[Path, typer.Argument(metavar="STUDY.yaml", help="Study config (YAML).")],
    force: Annotated[
        list[str] | None,
        typer.Option(help="Run this stage even if unchanged; repeat, or 'all'."),
    ] = None,
) -> None:
    """Run a whole study: ingest, anonymise, code, topics, WRES, quotes, report.html.

    Stages whose inputs and settings are unchanged since the last run are skipped.
    """
    from lived_experience.pipeline import load_study, run_study, stages_for

    config = load_study(study)
    stages = stages_for(config)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("study", total=len(stages))

        def on_stage(number: int, total: int, name: str) -> None:
            progress.update(task, completed=number - 1, description=name)

        result = run_study(
            config, echo=progress.console.print, force=force or (), on_stage=on_stage
        )
        progress.update(task, completed=len(stages))
    out.print(
        f"[bold green]done[/]: ran {', '.join(result.ran) or 'nothing'}; skipped "
        f"{', '.join(result.skipped) or 'nothing'}.\nreport: {result.report}",
        soft_wrap=True,  # a wrapped path cannot be copied
    )
    from lived_experience.report.next_steps import closing_summary

    out.print(closing_summary(result.report.parent), soft_wrap=True)


@app.command()
@clean_errors
def demo(
    output_dir: Annotated[Path, typer.Option(help="Where to write the demo outputs.")] = Path(
        "out/demo"
    ),
    data_dir: Annotated[Path, typer.Option(help="The bundled synthetic study.")] = Path(
        "data/synthetic"
    ),
    codebook: Annotated[
        Path, typer.Option(help="Codebook linking codes to WRES indicators.")
    ] = Path("codebooks/wres_lived_experience.yaml"),
) -> None:
    """Run the whole study pipeline on the bundled synthetic study (as `run` does)."""
    from lived_experience.demo import run_demo

    result = run_demo(output_dir, data_dir, echo=out.print, codebook_path=codebook)
    out.print(f"\n[bold green]demo finished[/]. report: {result.report}")


def main() -> None:
    """Entry point of the ``lived-experience`` console script."""
    app()
