"""The nine WRES indicators with intervals, and themes set beside them.

>>> from lived_experience.wres import compute_indicators, read_returns
"""

from lived_experience.wres.indicators import OUTPUT_COLUMNS, compute_indicators, national_indicators
from lived_experience.wres.inputs import read_bands, read_returns, read_staff_survey
from lived_experience.wres.national import compare_with_national, national_reference, year_on_year
from lived_experience.wres.stage import run

__all__ = [
    "OUTPUT_COLUMNS",
    "compare_with_national",
    "compute_indicators",
    "national_indicators",
    "national_reference",
    "read_bands",
    "read_returns",
    "read_staff_survey",
    "run",
    "year_on_year",
]
