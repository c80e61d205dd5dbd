"""The information-governance record quotes the report's published benchmark figures."""

from __future__ import annotations

from pathlib import Path

from lived_experience.app.record import benchmark_figures, write_record_html
from lived_experience.report.benchmarks import PUBLISHED_FIGURES


def test_record_figures_are_the_reports_published_figures() -> None:
    figures = benchmark_figures()
    assert [(f["measure"], f["value"], f["document"], f["command"]) for f in figures] == [
        (f.measure, f.value, f.doc, f.command) for f in PUBLISHED_FIGURES
    ]


def test_record_and_report_print_the_same_figures(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Change the one list and both documents follow: they cannot disagree."""
    from lived_experience.report import benchmarks
    from lived_experience.report.html import _published_figures

    changed = (
        benchmarks.PublishedFigure(
            measure="person-name recall, a figure made up for this test",
            value="0.123",
            data="nothing",
            date="2026-01-02",
            doc="docs/benchmarks.md",
            command="python bench/made_up.py",
        ),
    )
    monkeypatch.setattr(benchmarks, "PUBLISHED_FIGURES", changed)
    record = {
        "title": "Anonymisation record",
        "created": "2026-01-02 00:00 UTC",
        "input": {},
        "removed": {},
        "flagged_indirect": 0,
        "decisions": {},
        "disclosure": {},
        "versions": {},
        "benchmarks": benchmark_figures(),
    }
    write_record_html(record, tmp_path / "record.html")
    html = (tmp_path / "record.html").read_text(encoding="utf-8")
    report = _published_figures()
    for text in (html, report):
        assert "0.123" in text and "python bench/made_up.py" in text and "2026-01-02" in text
        assert "0.989" not in text
