"""Shared fixtures: each model is loaded once per test session; data is synthetic only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SYNTHETIC = REPO / "data" / "synthetic"
SHARED = REPO.parent / "shared"
SECRET = b"test-secret-for-lived-experience!"


@pytest.fixture(autouse=True)
def _isolated_config(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the developer's real secret file."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.getbasetemp() / "xdg"))
    monkeypatch.delenv("LIVED_EXPERIENCE_SECRET_FILE", raising=False)


@pytest.fixture(scope="session")
def synthetic_dir() -> Path:
    return SYNTHETIC


@pytest.fixture(scope="session")
def nlp_md():  # type: ignore[no-untyped-def]
    """The default spaCy pipeline (en_core_web_md from PyPI), NER components only."""
    from lived_experience.models import load_spacy

    return load_spacy(None, ner_only=True)


@pytest.fixture(scope="session")
def anonymiser(nlp_md):  # type: ignore[no-untyped-def]
    from lived_experience.anonymise import Anonymiser

    return Anonymiser(secret=SECRET, nlp=nlp_md)


@pytest.fixture(scope="session")
def rules_only():  # type: ignore[no-untyped-def]
    """Recognisers without spaCy NER: fast, for tables of patterns."""
    from lived_experience.anonymise import Anonymiser, AnonymiserSettings

    return Anonymiser(AnonymiserSettings(use_ner=False), secret=SECRET)


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    _encrypt_notebook_kernels()


def _encrypt_notebook_kernels() -> None:
    """nbmake's kernels talk over CurveZMQ, as jupyter_server_config.json asks of JupyterLab,
    so a normal run prints no 'Kernel is running over TCP without encryption' warning."""
    try:
        import zmq
        from jupyter_client.manager import KernelManager
    except ImportError:  # notebooks extra not installed: nbmake is not running either
        return
    if zmq.has("curve"):
        KernelManager.class_traits()["transport_encryption"].default_value = "auto"


@pytest.fixture(scope="session")
def codebook():  # type: ignore[no-untyped-def]
    from lived_experience.codebook import load_codebook

    return load_codebook(REPO / "codebooks" / "wres_lived_experience.yaml")


@pytest.fixture(scope="session")
def embedder(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """all-MiniLM-L6-v2 from its PyPI package, with a cache private to the test session."""
    from lived_experience.coding import Embedder

    return Embedder(cache_path=tmp_path_factory.mktemp("cache") / "embeddings.sqlite")


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory, embedder):  # type: ignore[no-untyped-def]
    """`make demo` run once in this process: (its folder, its result, its progress messages).
    The test of its outputs and the test that a second process gives the same bytes share
    it (a demo run is the slowest thing the suite does); both only read the folder."""
    from lived_experience.demo import run_demo

    folder = tmp_path_factory.mktemp("demo")
    messages: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        # the same environment the autouse fixture gives every test (never the real secret)
        patch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.getbasetemp() / "xdg"))
        patch.delenv("LIVED_EXPERIENCE_SECRET_FILE", raising=False)
        patch.setenv("LIVED_EXPERIENCE_CACHE", str(embedder.cache_path))
        result = run_demo(
            folder,
            SYNTHETIC,
            echo=messages.append,
            codebook_path=REPO / "codebooks" / "wres_lived_experience.yaml",
        )
    return folder, result, messages


@pytest.fixture(scope="session")
def labelled_survey():  # type: ignore[no-untyped-def]
    """The synthetic survey and its respondent-level theme labels."""
    import pandas as pd

    from lived_experience.synthetic.labels import respondent_codes

    survey = pd.read_csv(SYNTHETIC / "staff_survey.csv", dtype=str, keep_default_na=False)
    return survey, respondent_codes(SYNTHETIC)
