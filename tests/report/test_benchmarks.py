"""The benchmark figures the report quotes are the ones in the documents they cite."""

from __future__ import annotations

from pathlib import Path

import pytest

from lived_experience.report.benchmarks import PUBLISHED_FIGURES

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("figure", PUBLISHED_FIGURES, ids=lambda f: f.doc)
def test_published_figure_appears_in_its_document(figure) -> None:  # type: ignore[no-untyped-def]
    text = (REPO / figure.doc).read_text(encoding="utf-8")
    assert figure.value in text
    assert figure.command in text
    assert len(figure.date) == 10 and figure.date[4] == "-"


def test_report_states_what_was_measured_on_what() -> None:
    from lived_experience.report.html import _published_figures

    html = _published_figures()
    assert all(f.value in html and f.date in html and f.doc in html for f in PUBLISHED_FIGURES)
