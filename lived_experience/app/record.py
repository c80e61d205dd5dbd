"""The one-page information-governance record of an anonymisation (HTML and Word).

It says what was received (file name, SHA-256, row counts), what was removed (counts by
identifier type), what the reviewer decided (counts by kind), the disclosure-control
settings, the tool and model versions and the anonymiser's measured recall. It never holds
an original value, an answer or a record id: it may be filed beside the shared data.
"""

from __future__ import annotations

import platform
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from markupsafe import escape

from lived_experience import __version__
from lived_experience.anonymise import Anonymiser
from lived_experience.app.workspace import JobMeta
from lived_experience.output import atomic_path, write_text_atomic


def benchmark_figures() -> list[dict[str, str]]:
    """The published figures the record quotes: the report's own list, one source for both.

    :data:`lived_experience.report.benchmarks.PUBLISHED_FIGURES` is checked against the
    documents it cites (``tests/report/test_benchmarks.py``), so the record and the study
    report always quote the same numbers, with the data, date, document and command.
    """
    from lived_experience.report.benchmarks import PUBLISHED_FIGURES

    return [
        {
            "measure": f.measure,
            "value": f.value,
            "data": f.data,
            "date": f.date,
            "document": f.doc,
            "command": f.command,
        }
        for f in PUBLISHED_FIGURES
    ]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def tool_versions(anonymiser: Anonymiser) -> dict[str, str]:
    versions = {
        "lived_experience": __version__,
        "Python": platform.python_version(),
        "spaCy": _version("spacy"),
        "presidio-analyzer": _version("presidio-analyzer"),
        "anonymiser settings (fingerprint)": anonymiser.settings.fingerprint(),
        "operator": anonymiser.settings.operator,
    }
    nlp = anonymiser.nlp
    if nlp is not None and anonymiser.settings.use_ner:
        meta = getattr(nlp, "meta", {})
        versions["spaCy model"] = f"{meta.get('lang', '')}_{meta.get('name', '')} " + str(
            meta.get("version", "")
        )
    elif not anonymiser.settings.use_ner:
        versions["spaCy model"] = "none (rules only)"
    return versions


def build_record(
    meta: JobMeta, decisions: dict[str, int], anonymiser: Anonymiser
) -> dict[str, Any]:
    """The record's content: counts and settings only."""
    export = meta.summary.get("export", {})
    disclosure = export.get("disclosure", {})
    return {
        "title": "Anonymisation record",
        "created": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "input": {
            "file name": meta.file_name,
            "sheet": meta.sheet or "(CSV)",
            "SHA-256": meta.sha256,
            "rows": str(export.get("rows", meta.rows)),
            "free-text columns": ", ".join(meta.text_columns),
            "id column": meta.id_column or "(row number)",
            "answers changed": str(export.get("cells_changed", "")),
        },
        "sheets": dict(export.get("sheets", {})),
        "removed": dict(export.get("by_type", {})),
        "flagged_indirect": export.get("flagged_indirect", 0),
        "decisions": decisions,
        "disclosure": {
            "k (smallest group size)": str(meta.k),
            "attribute columns": ", ".join(meta.attribute_columns) or "none chosen",
            "columns generalised (levels)": ", ".join(
                f"{c} ({n})" for c, n in disclosure.get("generalised", {}).items()
            )
            or "none",
            "rows suppressed": str(disclosure.get("suppressed_rows", 0)),
            "groups under k before": str(disclosure.get("small_groups_before", 0)),
            "groups under k after": str(disclosure.get("small_groups_after", 0)),
        },
        "versions": tool_versions(anonymiser),
        "benchmarks": benchmark_figures(),
    }


def _table(rows: dict[str, Any], head: tuple[str, str]) -> str:
    body = "".join(
        f"<tr><th scope='row'>{escape(k)}</th><td>{escape(str(v))}</td></tr>"
        for k, v in rows.items()
    )
    return (
        f"<table><thead><tr><th scope='col'>{escape(head[0])}</th>"
        f"<th scope='col'>{escape(head[1])}</th></tr></thead><tbody>{body}</tbody></table>"
    )


def write_record_html(record: dict[str, Any], destination: Path) -> None:
    removed = record["removed"] or {"(none)": 0}
    bench = "".join(
        f"<tr><td>{escape(f['measure'])}</td><td>{escape(f['value'])}</td>"
        f"<td>{escape(f['data'])} ({escape(f['date'])})</td><td>{escape(f['document'])}: "
        f"<code>{escape(f['command'])}</code></td></tr>"
        for f in record["benchmarks"]
    )
    sheets = (
        f"<h2>Sheets of the workbook</h2>{_table(record['sheets'], ('sheet', 'in the export'))}"
        if record.get("sheets")
        else ""
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(record["title"])}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:48rem;margin:1.5rem auto;
font-size:.9rem}}table{{border-collapse:collapse;margin:.3rem 0 1rem}}th,td{{border:1px solid
#bbb;padding:.2rem .5rem;text-align:left}}h2{{font-size:1rem;margin:.8rem 0 .2rem}}</style>
</head><body>
<h1>{escape(record["title"])}</h1>
<p>Created {escape(record["created"])}. This record holds counts and settings only: no answer,
no identifier, no record id.</p>
<h2>Input</h2>{_table(record["input"], ("item", "value"))}
{sheets}<h2>Identifiers removed, by type</h2>{_table(removed, ("type", "count"))}
<p>Indirect identifiers flagged for review: {escape(str(record["flagged_indirect"]))}.</p>
<h2>Reviewer decisions</h2>{_table(record["decisions"], ("decision", "count"))}
<h2>Disclosure control</h2>{_table(record["disclosure"], ("setting", "value"))}
<h2>Tool and model versions</h2>{_table(record["versions"], ("component", "version"))}
<h2>Published benchmark figures of the anonymiser</h2>
<p>Measured on data this project did not write; no anonymiser removes everything, which is why
a person reviewed the detections.</p>
<table><thead><tr><th scope="col">measure</th><th scope="col">value</th>
<th scope="col">measured on (date)</th><th scope="col">source</th></tr></thead>
<tbody>{bench}</tbody>
</table>
</body></html>
"""
    write_text_atomic(destination, page)


def write_record_docx(record: dict[str, Any], destination: Path) -> None:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(9)  # type: ignore[attr-defined]
    document.core_properties.author = "lived_experience"
    document.add_heading(record["title"], level=1)
    document.add_paragraph(
        f"Created {record['created']}. Counts and settings only: no answer, no identifier, "
        "no record id."
    )

    def table(title: str, rows: dict[str, Any], head: tuple[str, str]) -> None:
        document.add_heading(title, level=2)
        grid = document.add_table(rows=1, cols=2)
        grid.style = "Table Grid"
        grid.rows[0].cells[0].text, grid.rows[0].cells[1].text = head
        for key, value in rows.items():
            cells = grid.add_row().cells
            cells[0].text, cells[1].text = str(key), str(value)

    table("Input", record["input"], ("item", "value"))
    if record.get("sheets"):
        table("Sheets of the workbook", record["sheets"], ("sheet", "in the export"))
    table("Identifiers removed, by type", record["removed"] or {"(none)": 0}, ("type", "count"))
    document.add_paragraph(
        f"Indirect identifiers flagged for review: {record['flagged_indirect']}."
    )
    table("Reviewer decisions", record["decisions"], ("decision", "count"))
    table("Disclosure control", record["disclosure"], ("setting", "value"))
    table("Tool and model versions", record["versions"], ("component", "version"))
    document.add_heading("Published benchmark figures of the anonymiser", level=2)
    grid = document.add_table(rows=1, cols=4)
    grid.style = "Table Grid"
    head = ("measure", "value", "measured on (date)", "source")
    for cell, text in zip(grid.rows[0].cells, head, strict=True):
        cell.text = text
    for figure in record["benchmarks"]:
        cells = grid.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = (
            figure["measure"],
            figure["value"],
            f"{figure['data']} ({figure['date']})",
        )
        cells[3].text = f"{figure['document']}: {figure['command']}"
    with atomic_path(destination) as tmp:
        document.save(str(tmp))
