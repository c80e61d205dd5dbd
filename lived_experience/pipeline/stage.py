"""The stage contract of a study run: what a stage declares and what it may use.

A stage is one module under :mod:`lived_experience.pipeline.stages` that builds a
:class:`Stage`: its inputs (files whose content decides its output), its settings (the part of
the study config it reads), what it writes, and a ``run`` function that calls the stage's
library entry point. :mod:`lived_experience.pipeline.run` fingerprints inputs and settings to
skip stages that are unchanged. Shareable outputs go to ``shareable/``; anything holding
original values goes to ``review_pack/`` (SENSITIVE), never beside them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lived_experience.pipeline.config import StudyConfig
from lived_experience.pipeline.manifest import Manifest

#: the tables stages hand on to each other, relative to the run's output folder
SURVEY_OUT = "shareable/survey_anonymised.csv"
TRANSCRIPTS_OUT = "shareable/transcripts_anonymised.csv"
CODED_SURVEY = "shareable/coded_survey.csv"
CODED_SEGMENTS = "shareable/coded_segments.csv"
CODED_QDPX = "shareable/coded_survey.qdpx"  # NVivo / ATLAS.ti / MAXQDA (REFI-QDA)


@dataclass
class StageContext:
    """What a running stage can use: the config, the output folder, progress and models."""

    config: StudyConfig
    folder: Path
    manifest: Manifest
    echo: Callable[[str], object]
    _cache: dict[str, Any] = field(default_factory=dict)

    def path(self, relative: str) -> Path:
        return self.folder / relative

    def anonymiser(self) -> Any:
        """One anonymiser for the run (anonymise, the topics and quotes re-scans share it)."""
        if "anonymiser" not in self._cache:
            self._cache["anonymiser"] = self.config.anonymise.build_anonymiser()
        return self._cache["anonymiser"]

    def embedder(self) -> Any:
        if "embedder" not in self._cache:
            from lived_experience.coding import Embedder

            self._cache["embedder"] = Embedder(self.config.coding.embedding_model)
        return self._cache["embedder"]

    def codebook(self) -> Any:
        if "codebook" not in self._cache:
            from lived_experience.codebook import load_codebook

            self._cache["codebook"] = load_codebook(self.config.coding.codebook)
        return self._cache["codebook"]


Inputs = Callable[[StudyConfig, Path], dict[str, Path | None]]
Settings = Callable[[StudyConfig], dict[str, Any]]
Runner = Callable[[StageContext], tuple[list[Path], dict[str, Any]]]


def _always(config: StudyConfig) -> bool:
    return True


@dataclass(frozen=True)
class Stage:
    """A named, versioned step: its inputs and settings decide whether it runs again.

    Attributes
    ----------
    inputs:
        ``(config, folder) -> {name: path}``: files (or folders) whose content decides the
        output; None where the config leaves one out.
    settings:
        ``config -> dict``: the settings that decide the output (JSON-able).
    run:
        ``context -> (paths written, summary)``; the summary holds counts, never values.
    outputs:
        The main files it writes, relative to the run's folder (what later stages read).
    enabled:
        ``config -> bool``: whether this study runs the stage at all.
    """

    name: str
    version: str
    describe: str
    inputs: Inputs
    settings: Settings
    run: Runner
    outputs: tuple[str, ...] = ()
    enabled: Callable[[StudyConfig], bool] = _always
