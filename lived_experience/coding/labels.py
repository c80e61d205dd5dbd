"""Hand-coded samples: the one reader of label files, for calibration, training and agreement.

Two layouts are read:

* one row per unit: an id column (``id`` by default) and ``codes`` (code ids joined by ``;``);
* one row per (record, field), as ``data/synthetic/labels/theme_labels.csv``: ``record_id``,
  ``field``, ``codes`` and optionally ``source`` (the file the record came from); the fields
  of a record are rolled up into one unit.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lived_experience.ingest import read_survey, read_table


def read_labels(path: str | Path, id_column: str = "id", source: str | None = None) -> pd.DataFrame:
    """``id``, ``codes`` from a hand-coded sample, one row per unit, in file order.

    ``source`` keeps only rows of that source file (per-field layout with a ``source``
    column); None keeps every row.

    >>> read_labels("data/synthetic/labels/theme_labels.csv").columns.tolist()
    ['id', 'codes']
    """
    path = Path(path)
    labels = read_table(path)
    if "record_id" in labels.columns:
        if source is not None and "source" in labels.columns:
            labels = labels[labels["source"] == source]
        rolled = labels.groupby("record_id", sort=False)["codes"].agg(
            lambda values: ";".join(sorted({c for v in values for c in v.split(";") if c}))
        )
        return rolled.rename_axis("id").reset_index()
    labels = read_survey(path, id_column=id_column, text_columns=["codes"])
    return labels[[id_column, "codes"]].rename(columns={id_column: "id"})


def label_sets(labels: pd.DataFrame) -> dict[str, set[str]]:
    """``{id: {code, ...}}`` from what :func:`read_labels` returns."""
    return {
        str(i): {c for c in str(v).split(";") if c}
        for i, v in zip(labels["id"], labels["codes"], strict=True)
    }
