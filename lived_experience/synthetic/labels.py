"""The synthetic theme labels, rolled up to one row per respondent (the 'hand-coded' sample)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def respondent_codes(data_dir: str | Path, source: str = "staff_survey.csv") -> pd.DataFrame:
    """``id`` and ``codes`` (joined with ``;``) for every respondent of ``source``.

    >>> respondent_codes("data/synthetic").columns.tolist()
    ['id', 'codes']
    """
    labels = pd.read_csv(
        Path(data_dir) / "labels" / "theme_labels.csv", dtype=str, keep_default_na=False
    )
    labels = labels[labels["source"] == source]
    rolled = labels.groupby("record_id", sort=False)["codes"].agg(
        lambda values: ";".join(sorted({c for v in values for c in v.split(";") if c}))
    )
    return rolled.rename_axis("id").reset_index()
