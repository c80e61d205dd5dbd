"""The WRES stage's entry point, called by ``lived-experience wres`` and the study pipeline
alike: read the returns (and optional band counts and staff-survey results) and compute the
nine indicators with their intervals and flags.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lived_experience.wres.indicators import compute_indicators
from lived_experience.wres.inputs import read_bands, read_returns, read_staff_survey


def run(
    returns: str | Path,
    bands: str | Path | None = None,
    staff_survey: str | Path | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """The WRES indicators table from the files (see docs/wres.md).

    >>> table = run("data/synthetic/wres/returns.csv")
    >>> sorted(table["indicator"].unique().tolist())[:2]
    [2, 3]
    """
    return compute_indicators(
        read_returns(returns),
        read_bands(bands) if bands else None,
        read_staff_survey(staff_survey) if staff_survey else None,
        confidence=confidence,
    )
