"""Kept for imports written before the statistics moved: see :mod:`lived_experience.stats`."""

from lived_experience.stats import katz_relative_risk, newcombe_difference, wilson

__all__ = ["katz_relative_risk", "newcombe_difference", "wilson"]
