"""Read hand-coded labels, whatever file they come in: one function, dispatching on the type.

* ``.csv``: columns ``id`` (or the name given) and ``codes`` (code ids joined with ``;``;
  an empty cell means the answer was coded and no code applies);
* ``.xlsx``: the coding sheet written by ``lived-experience coding-sample``
  (:func:`lived_experience.coding.coding_sheet.read_coding_sheet`);
* ``.qdpx``: codings from a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder), read by
  ``lived_experience.coding.refi_qda.read_labels`` (see :func:`_read_qdpx`).

Every reader returns ``{id: set of code ids}`` and checks the codes against the codebook;
errors name the file and the row or cell, never the answer's text.
"""

from __future__ import annotations

from pathlib import Path

from lived_experience.codebook import Codebook
from lived_experience.errors import LabelsFileError

LABEL_SUFFIXES = (".csv", ".xlsx", ".qdpx")


def read_labels(path: str | Path, codebook: Codebook, id_column: str = "id") -> dict[str, set[str]]:
    """``{id: codes}`` from a labels CSV, a coding sheet (XLSX) or a REFI-QDA project.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from lived_experience.codebook import load_codebook
    >>> book = load_codebook("codebooks/wres_lived_experience.yaml")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "labels.csv"
    >>> _ = path.write_text("id,codes\\nr1,career_progression;tokenism\\nr2,\\n")
    >>> read_labels(path, book) == {"r1": {"career_progression", "tokenism"}, "r2": set()}
    True
    """
    path = Path(path)
    if not path.exists():
        raise LabelsFileError(f"labels file '{path}' does not exist. Fix: check the path.")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, codebook, id_column)
    if suffix == ".xlsx":
        from lived_experience.coding.coding_sheet import read_coding_sheet

        return read_coding_sheet(path, codebook)
    if suffix == ".qdpx":
        return _read_qdpx(path, codebook)
    raise LabelsFileError(
        f"labels file '{path.name}' must end in {', '.join(LABEL_SUFFIXES)}. Fix: save the "
        "hand-coding as a CSV with columns id,codes, or use the coding-sample sheet."
    )


def _read_csv(path: Path, codebook: Codebook, id_column: str) -> dict[str, set[str]]:
    from lived_experience.ingest import read_survey

    frame = read_survey(path, id_column=id_column, text_columns=["codes"])
    known = set(codebook.code_ids)
    labels: dict[str, set[str]] = {}
    for row, (identifier, value) in enumerate(
        zip(frame[id_column].astype(str), frame["codes"].fillna("").astype(str), strict=True),
        start=2,
    ):
        if not identifier.strip():
            raise LabelsFileError(
                f"'{path.name}' row {row}, column '{id_column}': the id is blank. Fix: give "
                "every coded answer its id."
            )
        codes = {c.strip() for c in value.split(";") if c.strip()}
        unknown = sorted(codes - known)
        if unknown:
            raise LabelsFileError(
                f"'{path.name}' row {row}, column 'codes': {', '.join(unknown)} is not a code "
                f"of codebook '{codebook.id}'. Codes: {', '.join(codebook.code_ids)}."
            )
        if identifier in labels:
            raise LabelsFileError(
                f"'{path.name}' row {row}, column '{id_column}': this id appears on an earlier "
                "row too. Fix: one row per answer, codes joined with ';'."
            )
        labels[identifier] = codes
    return labels


def _read_qdpx(path: Path, codebook: Codebook) -> dict[str, set[str]]:
    """Dispatch point for REFI-QDA projects: ``refi_qda.read_labels(path, codebook)``."""
    from lived_experience.coding import refi_qda

    reader = getattr(refi_qda, "read_labels", None)
    if reader is None:
        raise LabelsFileError(
            f"'{path.name}': reading codings from a REFI-QDA project is not available in this "
            "version. Fix: export the codings as CSV (id,codes) or use the coding-sample sheet."
        )
    labels: dict[str, set[str]] = reader(path, codebook)
    return labels
