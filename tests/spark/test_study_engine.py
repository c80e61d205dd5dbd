"""``engine:`` in the study YAML picks where anonymisation and coding run."""

from __future__ import annotations

from pathlib import Path

import pytest

from lived_experience.errors import ConfigError
from lived_experience.pipeline import load_study
from lived_experience.spark import anonymise_engine, code_engine

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "synthetic_study.yaml"


def test_study_engine_defaults_to_local_and_accepts_spark(tmp_path: Path) -> None:
    assert load_study(EXAMPLE).engine == "local"
    text = EXAMPLE.read_text(encoding="utf-8").replace("engine: local", "engine: spark")
    study = tmp_path / "study.yaml"
    study.write_text(text.replace("../", str(EXAMPLE.parents[1]) + "/"), encoding="utf-8")
    assert load_study(study).engine == "spark"
    study.write_text(text.replace("engine: spark", "engine: sparky"), encoding="utf-8")
    with pytest.raises(ConfigError, match="engine"):
        load_study(study)


def test_local_engine_needs_no_spark() -> None:
    from lived_experience.anonymise import AnonymiserSettings

    assert anonymise_engine("local", None, AnonymiserSettings(), "unused.key") is None
    assert code_engine("local") is None
    with pytest.raises(ConfigError, match="Available: local, spark"):
        code_engine("dask")
