"""Quote bank exports: Word (python-docx), Markdown and CSV, all written atomically.

The Word file is ready to paste from: A4 by default (``paper="Letter"`` for US Letter),
"Page N of M" in the footer (Word fields, so the numbers stay right after editing), the
protective marking in the header and footer (default ``OFFICIAL-SENSITIVE``, the marking the
NHS uses for personal data; set ``marking=""`` to leave it out), and each quote's
``quote_id`` so a quote in a draft report can be traced back to the CSV row.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from lived_experience.codebook import Codebook
from lived_experience.errors import ConfigError
from lived_experience.output import (
    fix_docx_properties,
    fixed_zip_bytes,
    write_bytes_atomic,
    write_table,
    write_text_atomic,
)
from lived_experience.quotes.bank import QUOTE_COLUMNS, QuoteBank

Paper = Literal["A4", "Letter"]
#: (width, height) in millimetres.
PAPER_SIZES_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"


def mix_sentence(bank: QuoteBank, code_id: str, attribute: str = "ethnic_group") -> str:
    """'Everyone who raised it: 71% Ethnic minority, 29% White. This shortlist: 75% ..., 25% ...'.

    Blank group values read "Not stated" (the bank writes them so), never an empty name.
    """
    if bank.mix.empty:
        return ""
    part = bank.mix[(bank.mix["code"] == code_id) & (bank.mix["attribute"] == attribute)]
    if part.empty:
        return ""
    part = part.sort_values("raised_percent", ascending=False, kind="stable")

    def name(value: object) -> str:
        return str(value).strip() or "Not stated"

    raised = ", ".join(f"{r.raised_percent:.0f}% {name(r.value)}" for r in part.itertuples())
    shortlist = ", ".join(f"{r.shortlist_percent:.0f}% {name(r.value)}" for r in part.itertuples())
    return f"Everyone who raised it: {raised}. This shortlist: {shortlist}."


def _shown(bank: QuoteBank, include_flagged: bool) -> pd.DataFrame:
    quotes = bank.quotes
    return quotes if include_flagged else quotes[quotes["flags"] == ""]


def _field(paragraph: Any, instruction: str) -> None:
    """Append a Word field (``PAGE``, ``NUMPAGES``) that Word and LibreOffice fill in."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    run = paragraph.add_run()
    run._r.append(char("begin"))
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    run._r.append(char("separate"))
    paragraph.add_run("1")  # shown until the field is updated
    paragraph.add_run()._r.append(char("end"))


def _page_setup(document: Any, paper: Paper, marking: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    if paper not in PAPER_SIZES_MM:
        raise ConfigError(
            f"quote bank paper '{paper}' is not known. Fix: use one of {', '.join(PAPER_SIZES_MM)}."
        )
    width, height = PAPER_SIZES_MM[paper]
    for section in document.sections:
        section.page_width, section.page_height = Mm(width), Mm(height)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Mm(25))
        section.top_margin = section.bottom_margin = Mm(25)
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if marking:
            header.add_run(marking).bold = True
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if marking:
            footer.add_run(f"{marking}    ").bold = True
        footer.add_run("Page ")
        _field(footer, "PAGE")
        footer.add_run(" of ")
        _field(footer, "NUMPAGES")
        for run in header.runs + footer.runs:
            run.font.size = Pt(9)


def write_docx(
    bank: QuoteBank,
    codebook: Codebook,
    destination: str | Path,
    include_flagged: bool = False,
    paper: Paper = "A4",
    marking: str = DEFAULT_MARKING,
    scope: str = "",
) -> None:
    """A section per theme and code: label, definition, how many raised it, the quotes.

    ``scope`` describes a subset the quotes were drawn from (e.g. "ethnic_group = Ethnic
    minority"), printed in the introduction.
    """
    import docx
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    _page_setup(document, paper, marking)
    document.core_properties.title = f"Quote bank: {codebook.id} {codebook.version}"
    fix_docx_properties(document)
    document.add_heading("Quote bank", level=0)
    document.add_paragraph(
        "Quotes are anonymised, chosen for being typical of each theme and diverse, and "
        "attributed only with descriptions shared by enough respondents not to identify "
        "anyone. Words in square brackets, such as [colleague] or [date], stand for details "
        "removed to protect people. Each quote's id (Q001 ...) matches the quote bank CSV."
        + (f" Quotes are drawn only from respondents with {scope}." if scope else "")
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
                attribution = document.add_paragraph(f"— {row.attribution} ")
                ident = attribution.add_run(f"[{row.quote_id}]")
                ident.font.size = Pt(9)
                ident.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
                attribution.paragraph_format.space_after = Pt(12)
                if row.flags:
                    document.add_paragraph(f"Safety flags: {row.flags}")
    buffer = io.BytesIO()
    document.save(buffer)
    write_bytes_atomic(destination, fixed_zip_bytes(buffer.getvalue()))


def write_markdown(
    bank: QuoteBank,
    codebook: Codebook,
    destination: str | Path,
    include_flagged: bool = False,
    marking: str = DEFAULT_MARKING,
) -> None:
    """The quote bank as Markdown (marking first, quote ids after each attribution)."""
    shown = _shown(bank, include_flagged)
    lines = [f"# Quote bank ({codebook.id} {codebook.version})", ""]
    if marking:
        lines = [f"**{marking}**", "", *lines]
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
                lines += [f"> {row.quote}", ">", f"> — {row.attribution} [{row.quote_id}]", ""]
    write_text_atomic(destination, "\n".join(lines))


def write_csv(bank: QuoteBank, destination: str | Path) -> None:
    write_table(bank.quotes[list(QUOTE_COLUMNS)], destination, escape_columns=["quote"])


def write_mix(bank: QuoteBank, destination: str | Path) -> None:
    """The shortlist's mix beside everyone who raised each code (by attribute)."""
    write_table(bank.mix, destination)
