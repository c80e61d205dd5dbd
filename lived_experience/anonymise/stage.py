"""The anonymise stage's entry point, called by ``lived-experience anonymise`` and the study
pipeline alike: anonymise a survey export or transcript folder into a file, apply a
reviewer's decisions, and enforce k-anonymity on the respondents' attributes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from lived_experience.anonymise.disclosure import DisclosureReport, enforce_k_anonymity
from lived_experience.anonymise.engine import Anonymiser
from lived_experience.anonymise.files import (
    AnonymisationSummary,
    anonymise_file,
    preflight_anonymise,
)
from lived_experience.anonymise.pseudonyms import load_or_create_secret
from lived_experience.anonymise.review import Decisions
from lived_experience.anonymise.settings import AnonymiserSettings
from lived_experience.errors import ConfigError
from lived_experience.stats import DEFAULT_K


class AnonymiseSettings(AnonymiserSettings):
    """The anonymise stage: the anonymiser's own settings plus what happens around it.

    Examples
    --------
    >>> AnonymiseSettings(k=15, operator="redact").anonymiser_settings().operator
    'redact'
    """

    k: int = Field(DEFAULT_K, ge=2, description="smallest group size in shared outputs")
    decisions: Path | None = Field(
        None, description="reviewer's decisions CSV (an edited entities file) to apply"
    )
    secret_file: Path | None = Field(
        None, description="project secret for pseudonyms (default: the user's config folder)"
    )
    chunk_size: int = Field(5000, ge=1, description="rows per chunk (memory bound)")

    def anonymiser_settings(self) -> AnonymiserSettings:
        """Only the settings that decide what the anonymiser removes (what it fingerprints)."""
        return AnonymiserSettings(**self.model_dump(include=set(AnonymiserSettings.model_fields)))

    def build_anonymiser(self) -> Anonymiser:
        """An anonymiser keyed by the project secret (created once if there is none)."""
        return Anonymiser(
            self.anonymiser_settings(), secret=load_or_create_secret(self.secret_file)
        )

    def secret_path(self) -> Path:
        """Where the project secret is read from (Spark workers read it there too)."""
        from lived_experience.project_secret import default_secret_path

        return Path(self.secret_file) if self.secret_file else default_secret_path()


@dataclass
class AnonymiseResult:
    """Counts by entity type (never values), and what disclosure control changed."""

    summary: AnonymisationSummary
    disclosure: DisclosureReport | None = None


def check_text_columns(input_path: str | Path, text_columns: Sequence[str]) -> None:
    """A survey export needs its free-text columns named (a transcript folder does not)."""
    if not Path(input_path).is_dir() and not text_columns:
        from lived_experience.ingest.survey import survey_columns

        raise ConfigError(
            "name the free-text column(s) to anonymise. Fix: add --text-column COLUMN. "
            f"Columns in '{input_path}': {survey_columns(input_path) or 'unreadable'}."
        )


def run(
    input_path: str | Path,
    output_path: str | Path,
    settings: AnonymiseSettings,
    *,
    text_columns: Sequence[str] = (),
    id_column: str | None = None,
    quasi_identifiers: Sequence[str] = (),
    entities_path: str | Path | None = None,
    review_path: str | Path | None = None,
    anonymiser: Anonymiser | None = None,
    progress: Callable[[int], None] | None = None,
    engine: str = "local",
    spark_master: str | None = None,
    sheet: str | int = 0,
) -> AnonymiseResult:
    """Anonymise a survey export (CSV streamed in chunks, or XLSX) or a transcript folder.

    Parameters
    ----------
    input_path, output_path:
        The export or folder, and the anonymised ``.csv`` / ``.xlsx`` to write.
    settings:
        What to remove and how; ``settings.decisions`` applies a reviewer's decisions.
    text_columns, id_column:
        The free-text columns and the respondent id (a survey export needs both).
    quasi_identifiers:
        Attribute columns generalised, then suppressed, until every combination has at
        least ``settings.k`` respondents.
    entities_path, review_path:
        SENSITIVE: every detection (a decisions file to edit) and the HTML review page.
    anonymiser:
        One already built (the pipeline shares one between stages); default: built from
        ``settings``.
    engine, spark_master:
        ``"local"`` (this process) or ``"spark"`` (:mod:`lived_experience.spark`, on
        ``spark_master``, default ``local[2]``); the output is byte-identical either way.
    """
    from lived_experience.spark import anonymise_engine

    input_path, output_path = Path(input_path), Path(output_path)
    check_text_columns(input_path, text_columns)
    preflight_anonymise(
        input_path,
        output_path,
        text_columns,
        id_column,
        quasi_identifiers,
        entities_path,
        review_path,
        settings.decisions,
    )
    anonymiser = anonymiser or settings.build_anonymiser()
    summary = anonymise_file(
        input_path,
        output_path,
        text_columns,
        id_column,
        anonymiser,
        entities_path=entities_path,
        review_path=review_path,
        decisions=Decisions.read(settings.decisions) if settings.decisions else None,
        chunk_size=settings.chunk_size,
        progress=progress,
        sheet=sheet,
        engine=anonymise_engine(
            engine,
            spark_master,
            anonymiser.settings,
            settings.secret_path(),
            output_path.parent,
        ),
    )
    disclosure = None
    if quasi_identifiers:
        from lived_experience.ingest import read_survey
        from lived_experience.ingest.survey import sheet_name
        from lived_experience.output import write_table

        frame = read_survey(output_path, id_column=id_column)
        protected, disclosure = enforce_k_anonymity(frame, list(quasi_identifiers), settings.k)
        name = sheet_name(output_path) if output_path.suffix.lower() == ".xlsx" else "Sheet1"
        write_table(protected, output_path, sheet_name=name)
    return AnonymiseResult(summary, disclosure)
