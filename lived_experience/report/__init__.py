"""The study report: one self-contained HTML page."""

from lived_experience.report.html import StudyResults, write_report

__all__ = ["StudyResults", "write_report"]
