"""Recall on person names the gazetteer has never seen, per origin group.

The synthetic gold's names overlap the gazetteer (one team wrote both), so its recall is
optimistic. Here every name is checked to be absent from the gazetteer, and each is planted
in realistic sentences (with and without titles, mid-sentence and at the start, in lower
case), so only spaCy's NER and the context cues can find it.

    .venv/bin/python bench/heldout_names.py

Writes docs/benchmarks_names.md.
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

import pandas as pd

from lived_experience.anonymise import Anonymiser
from lived_experience.models import load_spacy
from lived_experience.synthetic.heldout_names import HELD_OUT, TEMPLATES, texts_and_spans

sys.path.insert(0, str(Path(__file__).resolve().parent))
from markdown_table import md, replace_section  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    anonymiser = Anonymiser(secret=b"heldout-benchmark-secret-000000", nlp=load_spacy(None, True))
    rows = texts_and_spans()
    detections = anonymiser.detect([text for _, text, _ in rows])
    results = []
    for (origin, text, spans), found in zip(rows, detections, strict=True):
        for start, end in spans:
            covered = all(
                text[i].isspace() or any(d.start <= i < d.end for d in found)
                for i in range(start, end)
            )
            results.append({"origin": origin, "removed": covered})
    frame = pd.DataFrame(results)
    table = frame.groupby("origin")["removed"].agg(["count", "mean"]).reset_index()
    table.columns = ["origin", "names planted", "recall"]
    table["recall"] = table["recall"].round(3)
    overall = round(float(frame["removed"].mean()), 3)
    text = f"""## Recall on names the gazetteer has never seen (project-written names)

Command: `python bench/heldout_names.py` ({platform.machine()}, {os.cpu_count()} cores, spaCy
en_core_web_md 3.8.0). {len(HELD_OUT)} origin groups, up to 10 invented names each, checked to
be absent from the gazetteer, each planted in {len(TEMPLATES)} sentence patterns (full name,
surname after Dr, first name after Sister, after "called", after "work with", lower case,
appositive, sentence-initial). A name counts as removed only if every character is.

Overall recall: **{overall}**.

{md(table)}

These names are found only by spaCy's NER and the title and context cues; compare with the
synthetic gold (docs/benchmarks.md), where the gazetteer knows the names. The spread between
origins is the number to watch for bias against names the tools were not built around.
"""
    replace_section(REPO / "docs" / "benchmarks_names.md", "heldout-names", text)
    print(text)


if __name__ == "__main__":
    main()
