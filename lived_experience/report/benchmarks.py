"""Published benchmark figures the report quotes, each with what was measured on what.

A study's own run can only measure the anonymiser on gold annotations written alongside the
synthetic data (the same team wrote both), which checks the pipeline but is no guarantee on
real answers. The report therefore quotes the figures of the benchmarks in ``docs/``, with
the data they were measured on, the command and the date; ``tests/report/test_benchmarks.py``
checks that every figure here still appears in the document it cites.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PublishedFigure:
    measure: str
    value: str
    data: str
    date: str  # when the cited document's figures were measured (YYYY-MM-DD)
    doc: str
    command: str


INDEPENDENT_COMMAND = (
    "PYTHONPATH=. python bench/independent_anonymiser_benchmark.py --sentences 1000 "
    "--per-frame 6 --speed-texts 2100"
)

PUBLISHED_FIGURES: tuple[PublishedFigure, ...] = (
    PublishedFigure(
        measure="person-name recall on names the name list has never seen",
        value="0.989",
        data="invented names from 9 origin groups, checked absent from the gazetteer, in 10 "
        "sentence patterns",
        date="2026-11-22",
        doc="docs/benchmarks_names.md",
        command="python bench/heldout_names.py",
    ),
    PublishedFigure(
        measure="person-name recall, worst of 31 countries of the NHS workforce (Brazilian "
        "names; mean over countries 0.998; plain Presidio, same model and run: mean 0.685)",
        value="0.978",
        data="Faker's public name lists (names kept out of the gazetteer), 90 names per "
        "country in 10 sentence frames, 95% interval 0.923-0.994",
        date="2026-11-29",
        doc="docs/benchmarks.md",
        command=INDEPENDENT_COMMAND,
    ),
    PublishedFigure(
        measure="precision on presidio-evaluator's generated sentences, any in-scope PII, "
        "token level (recall 0.601; plain Presidio, same run: 0.762, recall 0.608; "
        "countries, nationalities and roles are kept by design)",
        value="0.964",
        data="1,000 sentences from presidio-evaluator's templates and fake-person table",
        date="2026-11-29",
        doc="docs/benchmarks.md",
        command=INDEPENDENT_COMMAND,
    ),
)
