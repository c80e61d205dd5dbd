"""Hand-coded samples: the one reader of label files, for calibration, training and agreement.

Files it reads, dispatching on the type:

* ``.csv`` with one row per unit: an id column (``id`` by default) and ``codes`` (code ids
  joined by ``;``; an empty cell means the answer was coded and no code applies);
* ``.csv`` with one row per (record, field), as ``data/synthetic/labels/theme_labels.csv``:
  ``record_id``, ``field``, ``codes`` and optionally ``source`` (the file the record came
  from); the fields of a record are rolled up into one unit;
* ``.xlsx``: the coding sheet written by ``lived-experience coding-sample``
  (:func:`lived_experience.coding.coding_sheet.read_coding_sheet`);
* ``.qdpx``: codings from a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder),
  :func:`lived_experience.coding.refi_qda.read_qdpx_codings`.

With a codebook, every code is checked against it; errors name the file and the row or cell,
never the answer's text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lived_experience.codebook import Codebook
from lived_experience.errors import LabelsFileError
from lived_experience.ingest import read_survey, read_table

LABEL_SUFFIXES = (".csv", ".xlsx", ".qdpx")


def read_labels(
    path: str | Path,
    id_column: str = "id",
    source: str | None = None,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """``id``, ``codes`` from a hand-coded sample, one row per unit, in file order.

    ``source`` keeps only rows of that source file (per-field layout with a ``source``
    column); None keeps every row. A coding sheet (``.xlsx``) needs ``codebook``.

    >>> read_labels("data/synthetic/labels/theme_labels.csv").columns.tolist()
    ['id', 'codes']
    """
    path = Path(path)
    if not path.exists():
        raise LabelsFileError(f"labels file '{path}' does not exist. Fix: check the path.")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from lived_experience.coding.coding_sheet import read_coding_sheet

        if codebook is None:
            raise LabelsFileError(
                f"'{path.name}': a coding sheet is read against its codebook. Fix: give the "
                "codebook (--codebook) with the sheet."
            )
        sets = read_coding_sheet(path, codebook)
        return pd.DataFrame(
            {"id": list(sets), "codes": [";".join(sorted(v)) for v in sets.values()]},
            columns=["id", "codes"],
        )
    if suffix == ".qdpx":
        from lived_experience.coding.refi_qda import read_qdpx_codings

        labels = read_qdpx_codings(path)
    elif suffix == ".csv":
        labels = _read_csv(path, id_column, source)
    else:
        raise LabelsFileError(
            f"labels file '{path.name}' must end in {', '.join(LABEL_SUFFIXES)}. Fix: save the "
            "hand-coding as a CSV with columns id,codes, or use the coding-sample sheet."
        )
    if codebook is not None:
        _check_codes(labels, codebook, path)
    return labels


def _read_csv(path: Path, id_column: str, source: str | None) -> pd.DataFrame:
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


def _check_codes(labels: pd.DataFrame, codebook: Codebook, path: Path) -> None:
    known = set(codebook.code_ids)
    for row, value in enumerate(labels["codes"].fillna("").astype(str), start=2):
        unknown = sorted({c.strip() for c in value.split(";") if c.strip()} - known)
        if unknown:
            raise LabelsFileError(
                f"'{path.name}' row {row}, column 'codes': {', '.join(unknown)} is not a code "
                f"of codebook '{codebook.id}'. Codes: {', '.join(codebook.code_ids)}."
            )


def label_sets(labels: pd.DataFrame) -> dict[str, set[str]]:
    """``{id: {code, ...}}`` from what :func:`read_labels` returns."""
    return {
        str(i): {c.strip() for c in str(v).split(";") if c.strip()}
        for i, v in zip(labels["id"], labels["codes"], strict=True)
    }


def read_label_sets(
    path: str | Path, codebook: Codebook, id_column: str = "id"
) -> dict[str, set[str]]:
    """``{id: codes}`` from a labels CSV, a coding sheet (XLSX) or a REFI-QDA project.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from lived_experience.codebook import load_codebook
    >>> book = load_codebook("codebooks/wres_lived_experience.yaml")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "labels.csv"
    >>> _ = path.write_text("id,codes\\nr1,career_progression;tokenism\\nr2,\\n")
    >>> read_label_sets(path, book) == {"r1": {"career_progression", "tokenism"}, "r2": set()}
    True
    """
    return label_sets(read_labels(path, id_column, codebook=codebook))
