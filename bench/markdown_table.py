"""Render a DataFrame as a Markdown table for docs/benchmarks*.md."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd


def md(frame: pd.DataFrame) -> str:
    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    body = [
        "| " + " | ".join("" if pd.isna(v) else str(v) for v in row) + " |"
        for row in frame.itertuples(index=False)
    ]
    return "\n".join([header, rule, *body])


def replace_section(path: Path, name: str, body: str) -> None:
    """Put ``body`` between ``<!-- name:start -->`` and ``<!-- name:end -->`` in ``path``
    (appending the section if it is not there), leaving the rest of the file alone."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{start}\n{body.strip()}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def keep_sections(path: Path, text: str) -> str:
    """``text`` plus every marked section of the current ``path`` (a re-run of one benchmark
    keeps the others' sections)."""
    if not path.exists():
        return text
    current = path.read_text(encoding="utf-8")
    pattern = re.compile(r"<!-- (\w+):start -->.*?<!-- \1:end -->", flags=re.DOTALL)
    blocks = [match.group(0) for match in pattern.finditer(current)]
    return text.rstrip("\n") + "".join("\n\n" + b for b in blocks) + "\n"


def replace_coding_section(output: Path, name: str, mirror: str, body: str) -> None:
    """:func:`replace_section` in ``output``; when that is docs/benchmarks_coding.md, the same
    text one heading level down goes into docs/benchmarks.md as section ``mirror``."""
    replace_section(output, name, body)
    docs = Path(__file__).resolve().parents[1] / "docs"
    if output == docs / "benchmarks_coding.md":
        replace_section(docs / "benchmarks.md", mirror, "#" + body.replace("\n## ", "\n### "))
