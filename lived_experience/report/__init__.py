"""The study report: one self-contained HTML page."""

from lived_experience.report.html import write_report

__all__ = ["write_report"]
