"""Checks on a whole study run before its first byte is written, and its lock.

A run that will fail on a setting (an unknown quasi-identifier column, a secret inside the
shareable folder, an input inside the output folder) fails here, before ingest, so it never
leaves a half-protected file in ``shareable/``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from lived_experience.errors import OutputError
from lived_experience.output_safety import (
    check_sensitive_path,
    check_writable_folder,
    output_lock,
)
from lived_experience.pipeline.config import StudyConfig

#: Sub-folders of the output folder that a run writes (and may overwrite).
WRITTEN_FOLDERS = ("shareable", "review_pack")
WRITTEN_FILES = ("run_manifest.json", "report.html")


def _inputs(config: StudyConfig) -> dict[str, Path | None]:
    survey, wres = config.inputs.survey, config.inputs.wres
    return {
        "inputs.survey.path": survey.path if survey else None,
        "inputs.transcripts": config.inputs.transcripts,
        "inputs.wres.returns": wres.returns if wres else None,
        "inputs.wres.bands": wres.bands if wres else None,
        "inputs.wres.staff_survey": wres.staff_survey if wres else None,
        "coding.codebook": config.coding.codebook,
        "coding.labels": config.coding.labels,
        "anonymise.gold": config.anonymise.gold,
    }


def check_study(config: StudyConfig) -> None:
    """Every check of a study run that can fail, before anything is written.

    Raises
    ------
    OutputError
        If an input lies where the run writes, or the secret lies in ``shareable/``.
    MissingColumnError
        If the survey lacks the id, a text column or a quasi-identifier.
    WresInputError
        If a WRES table holds something that is not a count (inf, 1e23, 12.5...).
    EnvironmentFaultError
        If the output folder cannot be written.
    """
    folder = config.output_dir
    if folder.exists() and not folder.is_dir():
        raise OutputError(
            f"output_dir '{folder}' is a file; a folder was expected. Fix: choose a folder."
        )
    check_writable_folder(folder, "output_dir")
    root = folder.resolve()
    written = [root / name for name in WRITTEN_FOLDERS]
    for field, path in _inputs(config).items():
        if path is None:
            continue
        resolved = path.resolve()
        if any(w == resolved or w in resolved.parents for w in written) or resolved in [
            root / name for name in WRITTEN_FILES
        ]:
            raise OutputError(
                f"{field} '{path}' lies where the run writes its outputs ('{folder}'), so the "
                "run would overwrite it. Fix: keep inputs outside shareable/ and review_pack/."
            )
        if resolved == root or resolved in root.parents:
            raise OutputError(
                f"output_dir '{folder}' is {field} or a folder around it. Fix: choose a "
                "separate output folder."
            )
    secret = config.anonymise.secret_file
    if secret is not None:
        check_sensitive_path(
            secret, "anonymise.secret_file (the project secret)", shareable=[root / "shareable"]
        )
    survey = config.inputs.survey
    if survey is not None:
        from lived_experience.anonymise.files import table_sample
        from lived_experience.schemas import require_columns

        require_columns(
            table_sample(survey.path),
            [survey.id_column, *survey.text_columns, *survey.quasi_identifiers],
            f"inputs.survey '{survey.path}'",
        )
    wres = config.inputs.wres
    if wres is not None:  # small tables: read and checked now, not after hours of coding
        from lived_experience.wres.inputs import read_bands, read_returns, read_staff_survey

        read_returns(wres.returns)
        if wres.bands is not None:
            read_bands(wres.bands)
        if wres.staff_survey is not None:
            read_staff_survey(wres.staff_survey)


@contextlib.contextmanager
def study_lock(config: StudyConfig) -> Iterator[None]:
    """An exclusive lock on the study's output folder for the length of the run."""
    with output_lock(config.output_dir / "run_manifest.json"):
        yield
