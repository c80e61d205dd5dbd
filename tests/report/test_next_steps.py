"""The closing summary of a study run names the review page and the next step."""

from __future__ import annotations

from pathlib import Path

from lived_experience.report.next_steps import closing_summary


def test_closing_summary_names_review_page_and_next_step(tmp_path: Path) -> None:
    (tmp_path / "review_pack").mkdir()
    (tmp_path / "review_pack" / "survey_review.html").write_text("x", encoding="utf-8")
    (tmp_path / "report.html").write_text("x", encoding="utf-8")
    text = closing_summary(tmp_path)
    assert str(tmp_path / "review_pack" / "survey_review.html") in text
    assert "SENSITIVE" in text and text.splitlines()[-1].startswith("Next: open the review")
    assert "qdpx" not in text  # only files that exist are listed


def test_closing_summary_without_review_files(tmp_path: Path) -> None:
    assert closing_summary(tmp_path).startswith("Next: read report.html")


def test_report_marks_uncalibrated_prevalence(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from lived_experience.codebook import load_codebook
    from lived_experience.report.html import _section_themes

    book = load_codebook("codebooks/wres_lived_experience.yaml")
    assert "Uncalibrated" in _section_themes({"calibrated": False}, tmp_path, book, "ethnic_group")
    assert "Uncalibrated" not in _section_themes(
        {"calibrated": True}, tmp_path, book, "ethnic_group"
    )
