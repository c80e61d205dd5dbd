"""Emergent topics beside the codebook: nearest codes, and topics no code covers.

A topic's answers usually mix what the topic is about with sentences every answer carries
("I am a band 6 nurse."). So a topic is compared with the codebook through its *core
sentences*: the sentences far more common in its answers than in the corpus (frequency in the
topic times the log of that lift), at most ten, weighted by that score. Each core sentence is
scored against each code as the embedding coder does (highest cosine similarity to the code's
definition or any example); a topic's similarity to a code is the weighted mean. The codebook's
own phrase rules count too: ``rule_share`` is the weighted share of core sentences a code's
rules match (suggestions such as "Give the network chair protected time" are far from every
example in embedding space yet plainly about a code). A topic's closeness to a code is the
larger of the two; a topic whose nearest code scores under ``new_code_threshold`` is a
*candidate new code*: something staff raise that the codebook did not ask about.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from lived_experience.codebook import Codebook
from lived_experience.coding.coders import EmbeddingCoder, RuleOnlyCoder
from lived_experience.coding.embeddings import Embedder
from lived_experience.coding.segments import split_sentences

NEAREST_CODES = 3
CORE_SENTENCES = 10
CODE_COLUMNS = (
    "topic",
    "nearest_code",
    "nearest_similarity",
    "rule_share",
    "nearest_codes",
    "candidate_new_code",
)


def core_sentences(
    texts: Sequence[str], topics: Sequence[int] | np.ndarray, n: int = CORE_SENTENCES
) -> dict[int, pd.Series]:
    """Per topic: its most distinctive sentences (index: sentence, value: weight, summing
    to 1). Topic ``-1`` is left out."""
    segments = pd.DataFrame({"segment_id": [str(i) for i in range(len(texts))], "text": texts})
    sentences = split_sentences(segments)
    if sentences.empty:
        return {}
    sentences["topic"] = np.asarray(topics)[sentences["segment_id"].astype(int)]
    sentences["key"] = sentences["sentence"].str.lower().str.split().str.join(" ")
    # one spelling per sentence, the same whatever the row order: the first in text order
    first = (
        sentences.sort_values(["key", "sentence"], kind="stable")
        .drop_duplicates("key")
        .set_index("key")["sentence"]
    )
    overall = sentences["key"].value_counts(normalize=True)
    cores: dict[int, pd.Series] = {}
    for topic, group in sentences.groupby("topic", sort=True):
        if topic == -1:
            continue
        share = group["key"].value_counts(normalize=True)
        lift = share / overall.reindex(share.index)
        score = (share * np.log(lift.clip(lower=1.0))).sort_index()
        score = score[score > 0].sort_values(ascending=False, kind="stable").head(n)
        if score.empty:  # every sentence as common elsewhere: take the most frequent
            score = share.sort_index().sort_values(ascending=False, kind="stable").head(n)
        weights = score / score.sum()
        weights.index = first.reindex(weights.index).to_numpy()
        cores[int(topic)] = weights
    return cores


def code_closeness(
    texts: Sequence[str],
    topics: Sequence[int] | np.ndarray,
    codebook: Codebook,
    embedder: Embedder,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per topic (rows) and code (columns): the core-sentence weighted similarity, and the
    weighted share of core sentences the code's rules match. A topic's closeness to a code is
    the larger of the two."""
    cores = core_sentences(texts, topics)
    coder = EmbeddingCoder(codebook, embedder)
    unique = sorted({s for weights in cores.values() for s in weights.index})
    scores, _ = coder.similarities(unique)
    rules = RuleOnlyCoder(codebook).code(unique).assigned.astype(np.float32)
    row_of = {s: i for i, s in enumerate(unique)}
    similarity, rule_share = [], []
    for weights in cores.values():
        rows_of_topic = [row_of[s] for s in weights.index]
        similarity.append(weights.to_numpy() @ scores[rows_of_topic])
        rule_share.append(weights.to_numpy() @ rules[rows_of_topic])
    index = pd.Index(list(cores), name="topic")
    columns = list(codebook.code_ids)
    shape = (len(index), len(columns))
    return (
        pd.DataFrame(np.reshape(similarity, shape), index=index, columns=columns),
        pd.DataFrame(np.reshape(rule_share, shape), index=index, columns=columns),
    )


def nearest_codes(
    texts: Sequence[str],
    topics: Sequence[int] | np.ndarray,
    codebook: Codebook,
    embedder: Embedder,
    new_code_threshold: float,
    n: int = NEAREST_CODES,
) -> pd.DataFrame:
    """Per topic: its ``n`` nearest codes with similarities (core-sentence weighted) and
    whether it is a candidate new code; columns :data:`CODE_COLUMNS`."""
    similarities, rule_shares = code_closeness(texts, topics, codebook, embedder)
    rows = []
    for topic in similarities.index:
        similarity = similarities.loc[topic].to_numpy()
        rule_share = rule_shares.loc[topic].to_numpy()
        closeness = np.maximum(similarity, rule_share)
        order = np.argsort(-closeness, kind="stable")[:n]
        rows.append(
            {
                "topic": int(topic),
                "nearest_code": codebook.code_ids[order[0]],
                "nearest_similarity": round(float(similarity[order[0]]), 3),
                "rule_share": round(float(rule_share[order[0]]), 3),
                "nearest_codes": "; ".join(
                    f"{codebook.code_ids[i]} ({closeness[i]:.2f})" for i in order
                ),
                "candidate_new_code": bool(closeness[order[0]] < new_code_threshold),
            }
        )
    return pd.DataFrame(rows, columns=list(CODE_COLUMNS))
