"""The words topics are described with: English and NHS stop words, pseudonym tags left out.

Ethnicity, religion and nationality words, roles and bands are *not* stop words: they are
what the research is about.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

#: words nearly every NHS staff answer uses, which say nothing about a topic
DOMAIN_STOP_WORDS: frozenset[str] = frozenset(
    {
        "nhs",
        "trust",
        "trusts",
        "staff",
        "work",
        "worked",
        "working",
        "works",
        "job",
        "just",
        "like",
        "really",
        "think",
        "feel",
        "felt",
        "know",
        "time",
        "times",
        "said",
        "told",
        "got",
        "get",
        "gets",
        "make",
        "made",
        "way",
        "things",
        "thing",
        "lot",
        "lots",
        "people",
        "year",
        "years",
        "day",
        "days",
        "going",
        "want",
        "need",
        "needs",
        "say",
        "does",
        "did",
        "don",
        "didn",
        "doesn",
        "isn",
        "wasn",
        "ve",
        "ll",
        "re",
        "na",
        "n/a",
    }
)

_CLAUSE = re.compile(r"[.!?;:,\n()\[\]\"]+")

#: letters only, two or more: leaves out numbers and pseudonym tags such as ``[PERSON_1a2b3c]``
TOKEN_PATTERN = r"(?u)\b[^\W\d_][^\W\d_]+\b"


def stop_words(extra: Sequence[str] = ()) -> list[str]:
    """English and domain stop words plus ``extra``, sorted (so fits are reproducible)."""
    return sorted(ENGLISH_STOP_WORDS | DOMAIN_STOP_WORDS | {w.lower() for w in extra})


class ClauseAnalyzer:
    """Words and n-grams within each clause: no bigram spans a full stop or a comma.

    CountVectorizer's own n-grams run across sentence ends ("patients. Staffing" gives
    "patients staffing"), which in answers made of several short sentences produces keywords
    nobody wrote.

    >>> ClauseAnalyzer(stop_words(), 2)("Racist abuse. Staffing is poor.")
    ['racist', 'abuse', 'racist abuse', 'staffing', 'poor', 'staffing poor']
    """

    def __init__(self, stop: Sequence[str], ngram_max: int = 2) -> None:
        self.stop = frozenset(stop)
        self.ngram_max = ngram_max
        self._token = re.compile(TOKEN_PATTERN)

    def __call__(self, document: str) -> list[str]:
        features: list[str] = []
        for clause in _CLAUSE.split(document.lower()):
            words = [w for w in self._token.findall(clause) if w not in self.stop]
            features += words
            for n in range(2, self.ngram_max + 1):
                features += [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
        return features


def topic_vectorizer(
    n_documents: int, ngram_max: int = 2, extra_stop_words: Sequence[str] = ()
) -> CountVectorizer:
    """A CountVectorizer for c-TF-IDF, its minimum document frequency scaled to the corpus.

    >>> topic_vectorizer(100).min_df, topic_vectorizer(20000).min_df
    (1, 10)
    """
    return CountVectorizer(
        analyzer=ClauseAnalyzer(stop_words(extra_stop_words), ngram_max),
        min_df=int(min(10, max(1, n_documents // 1000))),
    )
