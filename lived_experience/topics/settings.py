"""Topic-model settings: typed, validated, recorded with every saved model."""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field

#: fewest distinct non-empty answers a topic model is fitted on
MIN_DOCUMENTS = 50


class TopicSettings(BaseModel):
    """How topics are found, labelled and reported.

    Every field has a default that suits a staff-survey export of a few hundred to a hundred
    thousand answers; the cluster sizes scale with the corpus unless set.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    seed: int = Field(42, description="UMAP random_state: the same seed gives the same topics")
    n_neighbors: int = Field(15, ge=2)
    n_components: int = Field(5, ge=2)
    min_topic_size: int | None = Field(
        None,
        ge=2,
        description="HDBSCAN min_cluster_size; None: half the square root of the number of "
        "distinct answers, between 10 and 200",
    )
    min_samples: int | None = Field(
        None, ge=1, description="HDBSCAN min_samples; None: 5 (or the topic size, if smaller)"
    )
    guided: bool = Field(True, description="seed topics with the codebook's keywords")
    outlier_threshold: float = Field(
        0.3,
        ge=0,
        le=1,
        description="answers left unassigned by clustering join the nearest topic when their "
        "cosine similarity to it reaches this; the rest stay unassigned (-1)",
    )
    top_n_words: int = Field(10, ge=3, le=30)
    label_candidates: int | None = Field(
        None,
        ge=3,
        le=100,
        description="how many of a topic's top c-TF-IDF words the KeyBERT-style step may "
        "choose its keywords from; None: top_n_words, so the keywords stay the topic's most "
        "distinctive words, ordered by closeness in meaning to its answers. More candidates "
        "let words shared by many topics in (measured in docs/benchmarks_topics.md)",
    )
    ngram_max: int = Field(2, ge=1, le=3)
    extra_stop_words: list[str] = Field(default_factory=list)
    new_code_threshold: float = Field(
        0.37,
        ge=0,
        le=1,
        description="a topic whose core sentences are less similar than this to every "
        "codebook code is flagged as a candidate new code. 0.37: the best cut (interval "
        "0.365-0.383, balanced accuracy 0.64 against 0.54 at the earlier 0.35) between "
        "covered and left-out categories of a framework someone else wrote, on 5,674 real "
        "NHS comments (docs/benchmarks_topics.md, pxtextmining section)",
    )
    representative_segments: int = Field(3, ge=1, le=10)
    k: int = Field(11, ge=1, description="counts under k are suppressed in per-group tables")

    def cluster_sizes(self, n_documents: int) -> tuple[int, int]:
        """(min_cluster_size, min_samples) for a corpus of ``n_documents`` distinct answers.

        The minimum topic size grows with the square root of the corpus (half of it, between
        10 and 200), so a corpus of n answers has at most about 2 * sqrt(n) topics: 10 on 300
        answers, 50 on 10,000. ``min_samples`` stays small (5), so HDBSCAN calls fewer answers
        noise; with half the topic size, 31% of 5,674 real NHS comments were left out of every
        topic before outlier reduction, against 22% (docs/benchmarks_topics.md).

        >>> TopicSettings().cluster_sizes(300), TopicSettings().cluster_sizes(10000)
        ((10, 5), (50, 5))
        """
        size = self.min_topic_size or int(min(200, max(10, round(math.sqrt(n_documents) / 2))))
        samples = self.min_samples or min(5, size)
        return size, samples
