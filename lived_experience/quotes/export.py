"""Quote bank exports: Word (python-docx), Markdown and CSV, all written atomically."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from lived_experience.codebook import Codebook
from lived_experience.output import (
    fix_docx_properties,
    fixed_zip_bytes,
    write_bytes_atomic,
    write_table,
    write_text_atomic,
)
from lived_experience.quotes.bank import QUOTE_COLUMNS, QuoteBank


def mix_sentence(bank: QuoteBank, code_id: str, attribute: str = "ethnic_group") -> str:
    """'Everyone who raised it: 71% Ethnic minority, 25% White. This shortlist: 75%, 25%.'"""
    if bank.mix.empty:
        return ""
    part = bank.mix[(bank.mix["code"] == code_id) & (bank.mix["attribute"] == attribute)]
    if part.empty:
        return ""
    part = part.sort_values("raised_percent", ascending=False, kind="stable")
    raised = ", ".join(f"{r.raised_percent:.0f}% {r.value}" for r in part.itertuples())
    shortlist = ", ".join(f"{r.shortlist_percent:.0f}% {r.value}" for r in part.itertuples())
    return f"Everyone who raised it: {raised}. This shortlist: {shortlist}."


def _shown(bank: QuoteBank, include_flagged: bool) -> pd.DataFrame:
    quotes = bank.quotes
    return quotes if include_flagged else quotes[quotes["flags"] == ""]


def write_docx(
    bank: QuoteBank, codebook: Codebook, destination: str | Path, include_flagged: bool = False
) -> None:
    """A section per theme and code: label, definition, how many raised it, the quotes."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.core_properties.title = f"Quote bank: {codebook.id} {codebook.version}"
    fix_docx_properties(document)
    document.add_heading("Quote bank", level=0)
    document.add_paragraph(
        "Quotes are anonymised, chosen for being typical of each theme and diverse, and "
        "attributed only with descriptions shared by enough respondents not to identify "
        "anyone."
        + (
            ""
            if include_flagged
            else " Quotes flagged by the safety re-scan are left out; see the CSV."
        )
    )
    shown = _shown(bank, include_flagged)
    for theme in codebook.themes:
        document.add_heading(theme.label, level=1)
        for code in theme.codes:
            document.add_heading(code.label, level=2)
            document.add_paragraph().add_run(code.definition.strip()).italic = True
            raised = bank.raised.get(code.id, 0)
            document.add_paragraph(
                f"Raised by {raised} respondent{'s' * (raised != 1)}. "
                f"{mix_sentence(bank, code.id)}".strip()
            )
            for row in shown[shown["code"] == code.id].itertuples(index=False):
                quote = document.add_paragraph(style="Quote")
                run = quote.add_run(f"“{row.quote}”")
                run.font.size = Pt(11)
                attribution = document.add_paragraph(f"— {row.attribution}")
                attribution.paragraph_format.space_after = Pt(12)
                if row.flags:
                    document.add_paragraph(f"Safety flags: {row.flags}")
    buffer = io.BytesIO()
    document.save(buffer)
    write_bytes_atomic(destination, fixed_zip_bytes(buffer.getvalue()))


def write_markdown(
    bank: QuoteBank, codebook: Codebook, destination: str | Path, include_flagged: bool = False
) -> None:
    shown = _shown(bank, include_flagged)
    lines = [f"# Quote bank ({codebook.id} {codebook.version})", ""]
    for theme in codebook.themes:
        lines += [f"## {theme.label}", ""]
        for code in theme.codes:
            raised = bank.raised.get(code.id, 0)
            lines += [
                f"### {code.label}",
                "",
                f"*{code.definition.strip()}*",
                "",
                f"Raised by {raised} respondent{'s' * (raised != 1)}. "
                f"{mix_sentence(bank, code.id)}".strip(),
                "",
            ]
            for row in shown[shown["code"] == code.id].itertuples(index=False):
                lines += [f"> {row.quote}", ">", f"> — {row.attribution}", ""]
    write_text_atomic(destination, "\n".join(lines))


def write_csv(bank: QuoteBank, destination: str | Path) -> None:
    write_table(bank.quotes[list(QUOTE_COLUMNS)], destination, escape_columns=["quote"])


def write_mix(bank: QuoteBank, destination: str | Path) -> None:
    """The shortlist's mix beside everyone who raised each code (by attribute)."""
    write_table(bank.mix, destination)
