"""Sentence embeddings, cached on disk by model and text hash.

Re-coding after a codebook edit only embeds the codebook again: every segment's vector comes
from the cache. The cache is an SQLite file (default
``~/.cache/lived_experience/embeddings.sqlite``, or ``$LIVED_EXPERIENCE_CACHE``); it holds
vectors, not text, but vectors are derived from the text, so keep it where the data may be.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lived_experience.models import embedding_model_key, resolve_embedding_model

CACHE_ENV = "LIVED_EXPERIENCE_CACHE"


def default_cache_path() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "lived_experience" / "embeddings.sqlite"


@functools.lru_cache(maxsize=4)
def load_sentence_model(path: str) -> Any:
    """Load a sentence-transformers model from a local folder, once per process, offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import transformers
    from sentence_transformers import SentenceTransformer

    transformers.utils.logging.disable_progress_bar()  # keep our own progress output clean
    transformers.utils.logging.set_verbosity_error()
    return SentenceTransformer(path, device="cpu")


class Embedder:
    """Embed texts with a sentence-transformers model, through an on-disk cache.

    Parameters
    ----------
    model:
        A local model folder or ``all-MiniLM-L6-v2`` (the PyPI-shipped default).
    cache_path:
        SQLite file; ``None`` for the default; ``False`` disables caching.
    """

    def __init__(
        self,
        model: str | None = None,
        cache_path: str | Path | None | bool = None,
        batch_size: int = 64,
        memo: bool = False,
    ) -> None:
        self.model_path = resolve_embedding_model(model)
        self.model_key = embedding_model_key(self.model_path)
        self.cache_path: Path | None
        if cache_path is False:
            self.cache_path = None
        elif cache_path is None or cache_path is True:
            self.cache_path = default_cache_path()
        else:
            self.cache_path = Path(cache_path)
        self.batch_size = batch_size
        self.computed = 0  # texts embedded by the model (not from the cache) in this object
        # memo: every vector also kept in memory, so a text asked for again skips the cache
        self._memo: dict[str, np.ndarray] | None = {} if memo else None

    def sentence_model(self) -> Any:
        """The sentence-transformers model that embeds what the cache lacks (loaded once per
        process; a subclass may supply its own, under its own ``model_key``)."""
        return load_sentence_model(self.model_path)

    def _connect(self) -> sqlite3.Connection | None:
        if self.cache_path is None:
            return None
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.cache_path)
        connection.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, text_hash TEXT, "
            "vector BLOB, PRIMARY KEY (model, text_hash))"
        )
        return connection

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised embeddings, one row per text (float32)."""
        if self._memo is None:
            return self._embed(texts)
        texts = list(texts)
        missing = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if missing:
            self._memo.update(zip(missing, self._embed(missing), strict=True))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([self._memo[t] for t in texts])

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        hashes = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts]
        found: dict[str, np.ndarray] = {}
        connection = self._connect()
        if connection is not None:
            unique = sorted(set(hashes))
            for start in range(0, len(unique), 900):
                chunk = unique[start : start + 900]
                marks = ",".join("?" * len(chunk))
                query = (
                    "SELECT text_hash, vector FROM vectors "
                    f"WHERE model = ? AND text_hash IN ({marks})"
                )
                for text_hash, blob in connection.execute(query, [self.model_key, *chunk]):
                    found[text_hash] = np.frombuffer(blob, dtype=np.float32)
        missing = {h: t for h, t in zip(hashes, texts, strict=True) if h not in found}
        if missing:
            model = self.sentence_model()
            vectors = model.encode(
                list(missing.values()),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                show_progress_bar=False,
                convert_to_numpy=True,
            ).astype(np.float32)
            self.computed += len(missing)
            for text_hash, vector in zip(missing, vectors, strict=True):
                found[text_hash] = vector
            if connection is not None:
                with connection:
                    connection.executemany(
                        "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                        [
                            (self.model_key, h, v.tobytes())
                            for h, v in zip(missing, vectors, strict=True)
                        ],
                    )
        if connection is not None:
            connection.close()
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([found[h] for h in hashes])
