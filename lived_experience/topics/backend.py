"""BERTopic's embedding backend over the toolkit's cached :class:`Embedder`.

Topics and coding share one on-disk vector cache, so a topic model after coding embeds
nothing new, and KeyBERT-style labelling embeds each candidate word once per machine.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from bertopic.backend import BaseEmbedder

from lived_experience.coding.embeddings import Embedder


class CachedEmbedder(BaseEmbedder):  # type: ignore[misc]
    """Wrap an :class:`Embedder` so BERTopic can call it."""

    def __init__(self, embedder: Embedder) -> None:
        super().__init__()
        self.embedder = embedder

    def embed(self, documents: Sequence[str], verbose: bool = False) -> np.ndarray:
        return self.embedder.embed(list(documents))
