"""Emergent themes: reproducible BERTopic topics, compared with the codebook and by group.

>>> from lived_experience.topics import TopicSettings
>>> TopicSettings().k
11
"""

from lived_experience.topics.analysis import TopicResult, model_topics, representative_segments
from lived_experience.topics.codes import core_sentences, nearest_codes
from lived_experience.topics.corpus import documents_of, is_answer
from lived_experience.topics.export import write_topic_outputs
from lived_experience.topics.groups import topics_by_group
from lived_experience.topics.model import OUTLIER, TopicModeler, canonical_order, seed_topics
from lived_experience.topics.settings import MIN_DOCUMENTS, TopicSettings
from lived_experience.topics.stage import study_documents, study_group_columns

__all__ = [
    "MIN_DOCUMENTS",
    "OUTLIER",
    "TopicModeler",
    "TopicResult",
    "TopicSettings",
    "canonical_order",
    "core_sentences",
    "documents_of",
    "is_answer",
    "model_topics",
    "nearest_codes",
    "representative_segments",
    "seed_topics",
    "study_documents",
    "study_group_columns",
    "topics_by_group",
    "write_topic_outputs",
]
