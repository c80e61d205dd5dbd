"""A reproducible BERTopic model over cached sentence embeddings.

What plain BERTopic leaves to the user, done here:

* **Reproducible**: UMAP with a fixed ``random_state`` *and* a random (not spectral) start,
  which alone gave identical topics within and across processes on corpora full of repeated
  answers; identical answers are clustered once; stop words sorted.
* **Independent of row order**: UMAP, HDBSCAN, BERTopic's topic numbering, c-TF-IDF and its
  sampled representative documents all depend on the order of their input, so a file sorted
  by date gave other topics than the same file sorted by organisation. Every step here reads
  the answers in one canonical order (:func:`canonical_order`: by a SHA-256 hash of the
  stripped text, ties by the text) and maps the result back to the rows.
* **Scaled to the corpus**: HDBSCAN's minimum cluster size grows with the square root of the
  number of distinct answers, the vectorizer's minimum document frequency with the number
  (see :class:`TopicSettings`).
* **Few outliers**: answers HDBSCAN leaves unassigned join the nearest topic centroid when
  they are close enough (``outlier_threshold``), then the keywords are recomputed.
* **Readable**: c-TF-IDF (BM25-style idf) over English and NHS stop words and bigrams,
  refined by a KeyBERT-style representation; with a codebook, guided by its keywords.

Topic vectors are the normalised centroids of their answers' embeddings; new answers go to
the nearest centroid, the same before saving and after loading.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lived_experience.codebook import Codebook
from lived_experience.coding.embeddings import Embedder
from lived_experience.errors import NotFittedError, TopicModelError
from lived_experience.topics.settings import MIN_DOCUMENTS, TopicSettings
from lived_experience.topics.vocabulary import topic_vectorizer

OUTLIER = -1


class _DropCustomTopicsWarning(logging.Filter):
    """Drop BERTopic's warning about the custom topic assignments update_topics is given."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "custom list of topic assignments" not in record.getMessage()


def _quiet_custom_topics_warning() -> None:
    logger = logging.getLogger("BERTopic")
    if not any(isinstance(f, _DropCustomTopicsWarning) for f in logger.filters):
        logger.addFilter(_DropCustomTopicsWarning())


_STATE_FILE = "lived_experience_topics.json"


def _install_hint(error: ImportError) -> TopicModelError:
    return TopicModelError(
        f"topic modelling needs BERTopic ({error.name} is missing). Fix: pip install "
        "'lived_experience[topics]' (after pip install torch==2.13.0)."
    )


def seed_topics(codebook: Codebook) -> list[list[str]]:
    """One seed-word list per code: its keywords, or the words of its label."""
    seeds = []
    for code in codebook.codes:
        words = [k.lower() for k in code.keywords] or [
            w for w in code.label.lower().split() if len(w) > 2
        ]
        seeds.append(words)
    return seeds


def canonical_order(texts: Sequence[str]) -> np.ndarray:
    """Positions of ``texts`` in the canonical order every fit reads them in.

    Sorted by the SHA-256 of the stripped text (a fixed pseudo-random order, so neither an
    export's sorting nor the alphabet groups similar answers together), ties by the text
    itself; identical texts keep their relative order, which cannot change any result.

    >>> texts = ["Parking.", "Rota", "Parking."]
    >>> [texts[i] for i in canonical_order(texts)] == [
    ...     texts[i] for i in canonical_order(texts[::-1])]
    True
    """
    keys = [(hashlib.sha256(str(t).strip().encode("utf-8")).hexdigest(), str(t)) for t in texts]
    return np.array(sorted(range(len(keys)), key=keys.__getitem__), dtype=np.int64)


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1, norms)).astype(np.float32)


def _reassign_outliers(topics: np.ndarray, embeddings: np.ndarray, threshold: float) -> np.ndarray:
    """Unassigned answers join the nearest topic centroid when at least ``threshold`` close."""
    topics = topics.copy()
    if not (topics == OUTLIER).any():
        return topics
    centroids, ids = TopicModeler._centroids(topics, embeddings)
    similarity = embeddings @ centroids.T
    best = similarity.argmax(axis=1)
    close = similarity[np.arange(len(topics)), best] >= threshold
    reassign = (topics == OUTLIER) & close
    topics[reassign] = np.array(ids)[best[reassign]]
    return topics


class TopicModeler:
    """Fit topics on answers; assign new answers; save and load with safetensors.

    Parameters
    ----------
    settings:
        :class:`TopicSettings` (defaults suit a staff-survey export).
    embedder:
        The shared, cached :class:`Embedder` (default model, default cache).
    codebook:
        Seeds guided topics (when ``settings.guided``) and is what topics are compared with.

    Attributes (after :meth:`fit`)
    ------------------------------
    topics_ : numpy.ndarray
        Topic id per input answer, in the caller's order (``-1``: unassigned). The same set
        of answers in any order gives the same topic for every answer.
    topic_ids_ : list[int]
        Topic ids, outliers excluded, largest first.
    topic_vectors_ : numpy.ndarray
        Normalised centroid per topic id, in ``topic_ids_`` order.
    keywords_ : dict[int, list[str]]
        Top words per topic (KeyBERT-style re-ranking of c-TF-IDF candidates).
    model_ : bertopic.BERTopic
    """

    def __init__(
        self,
        settings: TopicSettings | None = None,
        embedder: Embedder | None = None,
        codebook: Codebook | None = None,
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.codebook = codebook

    # -- fitting -------------------------------------------------------------------------
    def _settings(self) -> TopicSettings:
        return self.settings or TopicSettings()

    def _embedder(self) -> Embedder:
        if self.embedder is None:
            self.embedder = Embedder()
        return self.embedder

    def fit(self, texts: Sequence[str], embeddings: np.ndarray | None = None) -> TopicModeler:
        """Fit on non-empty answers (strip empty ones first; see :func:`model_topics`)."""
        try:
            from bertopic import BERTopic
            from bertopic.representation import KeyBERTInspired
            from bertopic.vectorizers import ClassTfidfTransformer
            from hdbscan import HDBSCAN
            from umap import UMAP
        except ImportError as error:  # pragma: no cover - depends on the install
            raise _install_hint(error) from error
        from lived_experience.topics.backend import CachedEmbedder

        settings = self._settings()
        rows = [str(t) for t in texts]
        # every step below reads the answers in the canonical order; topics_ maps back
        order = canonical_order(rows)
        texts = [rows[i] for i in order]
        unique: dict[str, int] = {}
        for text in texts:
            unique.setdefault(text.strip(), len(unique))
        if len(unique) < MIN_DOCUMENTS:
            raise TopicModelError(
                f"a topic model needs at least {MIN_DOCUMENTS} distinct non-empty answers; "
                f"this corpus has {len(unique)}. Fix: with so few answers, read them all or "
                "code them with the codebook (lived-experience code)."
            )
        embedder = self._embedder()
        if embeddings is None:
            embeddings = embedder.embed(texts)  # canonical order: the same batches every time
        else:
            embeddings = np.asarray(embeddings, dtype=np.float32)
            if embeddings.shape[0] != len(texts):
                raise TopicModelError(
                    f"got {embeddings.shape[0]} embeddings for {len(texts)} answers. Fix: pass "
                    "one embedding per answer, in the same order, or none."
                )
            embeddings = embeddings[order]
        embeddings = np.asarray(embeddings, dtype=np.float32)
        inverse = np.array([unique[t.strip()] for t in texts])
        first = np.zeros(len(unique), dtype=int)
        for position in range(len(texts) - 1, -1, -1):
            first[inverse[position]] = position
        unique_texts = list(unique)
        size, samples = settings.cluster_sizes(len(unique_texts))
        backend = CachedEmbedder(embedder)
        seeds = seed_topics(self.codebook) if settings.guided and self.codebook else None
        seed_words = sorted({w for words in seeds for w in words}) if seeds else None

        def vectorizer(n: int) -> Any:
            return topic_vectorizer(n, settings.ngram_max, settings.extra_stop_words)

        def ctfidf() -> Any:
            # BM25-style idf, term counts not damped: a topic's words are those many of its
            # answers use and few others do. Damping the counts (reduce_frequent_words)
            # favoured words a handful of answers use, which rarely occur together in answers
            # of a line or two (NPMI -0.34 against -0.15 on 5,674 real NHS comments, with
            # diversity 0.88 against 0.70; docs/benchmarks_topics.md)
            return ClassTfidfTransformer(bm25_weighting=True, seed_words=seed_words)

        class SortedKeyBERT(KeyBERTInspired):  # type: ignore[misc]
            """KeyBERTInspired with its candidate words in sorted order. BERTopic builds that
            list from a set, whose order follows the process's hash seed; the word-topic
            similarity matrix then differs in its last bits between two processes (BLAS
            rounds a column differently by its position), and so did the saved model."""

            def _extract_embeddings(  # type: ignore[no-untyped-def]
                self,
                topic_model,
                topics,
                representative_docs,
                repr_doc_indices,
                repr_embeddings=None,
            ):
                from sklearn.metrics.pairwise import cosine_similarity

                if repr_embeddings is None:
                    repr_embeddings = topic_model._extract_embeddings(
                        representative_docs, method="document", verbose=False
                    )
                topic_embeddings = [
                    np.mean(repr_embeddings[i[0] : i[-1] + 1], axis=0) for i in repr_doc_indices
                ]
                vocab = sorted({word for words in topics.values() for word in words})
                word_embeddings = topic_model._extract_embeddings(
                    vocab, method="document", verbose=False
                )
                return cosine_similarity(topic_embeddings, word_embeddings), vocab

        def representation() -> Any:
            return SortedKeyBERT(
                top_n_words=settings.top_n_words,
                nr_candidate_words=settings.label_candidates or settings.top_n_words,
                random_state=settings.seed,
            )

        model = BERTopic(
            embedding_model=backend,
            umap_model=UMAP(
                n_neighbors=min(settings.n_neighbors, len(unique_texts) - 1),
                n_components=settings.n_components,
                min_dist=0.0,
                metric="cosine",
                init="random",
                random_state=settings.seed,
                n_jobs=1,  # what a fixed random_state means for UMAP anyway
                low_memory=True,
            ),
            hdbscan_model=HDBSCAN(
                min_cluster_size=size,
                min_samples=samples,
                metric="euclidean",
                cluster_selection_method="eom",
                prediction_data=False,
            ),
            vectorizer_model=vectorizer(len(unique_texts)),
            ctfidf_model=ctfidf(),
            representation_model=representation(),
            seed_topic_list=seeds,
            top_n_words=settings.top_n_words,
        )
        # BERTopic warns about the custom topic list we hand update_topics on purpose; its
        # logger level is reset inside fit_transform, so a filter (not a level) drops it
        _quiet_custom_topics_warning()
        unique_topics, _ = model.fit_transform(unique_texts, embeddings[first])
        if all(t == OUTLIER for t in unique_topics):
            raise TopicModelError(
                f"found no topics in {len(unique_texts)} distinct answers (all were too "
                "different from each other at min_topic_size "
                f"{size}). Fix: lower topics.min_topic_size, or code the answers with the "
                "codebook instead."
            )
        topics = np.array([unique_topics[i] for i in inverse])
        self.outliers_before_reduction_ = float((topics == OUTLIER).mean())
        topics = _reassign_outliers(topics, embeddings, settings.outlier_threshold)
        model.update_topics(
            texts,
            topics=topics.tolist(),
            top_n_words=settings.top_n_words,
            vectorizer_model=vectorizer(len(texts)),
            ctfidf_model=ctfidf(),
            representation_model=representation(),
        )
        centroids, ids = self._centroids(topics, embeddings)
        offset = [
            _normalise(embeddings[topics == OUTLIER].mean(axis=0, keepdims=True))
            if (topics == OUTLIER).any()
            else np.zeros((0, centroids.shape[1]), dtype=np.float32)
        ]
        model.topic_embeddings_ = np.vstack([*offset, centroids])
        self.model_ = model
        self.topics_ = np.empty_like(topics)
        self.topics_[order] = topics  # back to the caller's row order
        self.topic_ids_ = sorted(ids, key=lambda t: (-int((topics == t).sum()), t))
        self.topic_vectors_ = centroids[[ids.index(t) for t in self.topic_ids_]]
        self.keywords_ = {
            t: [word for word, _ in model.get_topic(t) if word][: settings.top_n_words]
            for t in self.topic_ids_
        }
        self.cluster_sizes_ = (size, samples)
        self.n_fitted_ = len(texts)
        return self

    @staticmethod
    def _centroids(topics: np.ndarray, embeddings: np.ndarray) -> tuple[np.ndarray, list[int]]:
        ids = sorted(int(t) for t in set(topics.tolist()) if t != OUTLIER)
        centroids = np.vstack([embeddings[topics == t].mean(axis=0) for t in ids])
        return _normalise(centroids), ids

    # -- using a fitted model -----------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "topic_vectors_"):
            raise NotFittedError(
                "this TopicModeler is not fitted yet. Fix: call fit(texts) first, or "
                "TopicModeler.load(folder)."
            )

    def labels(self, words: int = 3) -> dict[int, str]:
        """A short label per topic from its top keywords, e.g. ``'parking, night shifts'``."""
        self._check_fitted()
        labels = {t: ", ".join(self.keywords_[t][:words]) for t in self.topic_ids_}
        labels[OUTLIER] = "(unassigned)"
        return labels

    def transform(
        self, texts: Sequence[str], embeddings: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(topic id, cosine similarity to it) for each answer: the nearest topic centroid,
        or ``-1`` below ``outlier_threshold``. The same before saving and after loading."""
        self._check_fitted()
        if embeddings is None:
            embeddings = self._embedder().embed(list(texts))
        if len(texts) == 0:
            return np.zeros(0, dtype=int), np.zeros(0, dtype=np.float32)
        similarity = np.asarray(embeddings, dtype=np.float32) @ self.topic_vectors_.T
        best = similarity.argmax(axis=1)
        score = similarity[np.arange(len(best)), best]
        topics = np.array(self.topic_ids_)[best]
        topics[score < self._settings().outlier_threshold] = OUTLIER
        return topics, np.round(score, 4)

    # -- persistence ----------------------------------------------------------------------
    def save(self, folder: str | Path) -> Path:
        """Save with safetensors (topic vectors, c-TF-IDF, keywords) plus our settings.

        BERTopic's safetensors format leaves out UMAP and HDBSCAN; nothing here needs them,
        because new answers go to the nearest topic centroid.
        """
        self._check_fitted()
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.model_.save(
            str(folder / "bertopic"),
            serialization="safetensors",
            save_ctfidf=True,
            save_embedding_model=self._embedder().model_path,
        )
        state = {
            "settings": self._settings().model_dump(),
            "topic_ids": [int(t) for t in self.topic_ids_],
            "keywords": {str(t): words for t, words in self.keywords_.items()},
            "cluster_sizes": list(self.cluster_sizes_),
            "n_fitted": self.n_fitted_,
            "embedding_model": self._embedder().model_key,
        }
        (folder / _STATE_FILE).write_text(json.dumps(state, indent=2), encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder: str | Path, embedder: Embedder | None = None) -> TopicModeler:
        """Load a model saved by :meth:`save` (no network; the embedding model is local)."""
        try:
            from bertopic import BERTopic
        except ImportError as error:  # pragma: no cover
            raise _install_hint(error) from error
        from lived_experience.topics.backend import CachedEmbedder

        folder = Path(folder)
        if not (folder / _STATE_FILE).exists():
            raise TopicModelError(
                f"{folder} is not a saved topic model (no {_STATE_FILE}). Fix: point at the "
                "'model' folder written by lived-experience topics."
            )
        state = json.loads((folder / _STATE_FILE).read_text(encoding="utf-8"))
        modeler = cls(TopicSettings(**state["settings"]), embedder or Embedder())
        model = BERTopic.load(
            str(folder / "bertopic"), embedding_model=CachedEmbedder(modeler._embedder())
        )
        modeler.model_ = model
        modeler.topic_ids_ = state["topic_ids"]
        outliers = int(getattr(model, "_outliers", 0))
        vectors = np.asarray(model.topic_embeddings_, dtype=np.float32)[outliers:]
        stored_order = sorted(modeler.topic_ids_)
        modeler.topic_vectors_ = vectors[[stored_order.index(t) for t in modeler.topic_ids_]]
        modeler.keywords_ = {int(t): words for t, words in state["keywords"].items()}
        modeler.cluster_sizes_ = tuple(state["cluster_sizes"])
        modeler.n_fitted_ = state["n_fitted"]
        return modeler
