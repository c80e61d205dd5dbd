"""What a finished study run tells its user: where the files are and what to do next."""

from __future__ import annotations

from pathlib import Path

#: (relative path, what it is) in the order a user needs them.
_FILES = (
    ("report.html", "the report (shareable)"),
    ("review_pack/survey_review.html", "review page: check every detection (SENSITIVE)"),
    ("review_pack/transcript_review.html", "transcript review page (SENSITIVE)"),
    ("shareable/quotes/quote_bank.docx", "quote bank for the write-up"),
    ("shareable/coded_survey.qdpx", "coded project for NVivo, ATLAS.ti or MAXQDA"),
)


def closing_summary(folder: str | Path) -> str:
    """The files a run wrote that a person opens next, and the next step, as lines of text.

    Only paths and fixed words: never a value from the data.
    """
    folder = Path(folder)
    lines = [
        f"  {description}: {folder / name}"
        for name, description in _FILES
        if (folder / name).exists()
    ]
    review = [
        name for name, _ in _FILES if name.startswith("review_pack/") and (folder / name).exists()
    ]
    if review:
        lines.append(
            "Next: open the review page(s) in the secure environment and check every "
            "highlight; set 'decision' to reject (or add rows) in review_pack/*_entities.csv "
            "and run again. Share only shareable/ and report.html, never review_pack/."
        )
    else:
        lines.append("Next: read report.html; share only shareable/ and report.html.")
    return "\n".join(lines)
