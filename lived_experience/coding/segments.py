"""Split answers and interview turns into sentence-level segments, and roll codes back up.

Long answers mix several experiences; coding each sentence and rolling the codes up to the
response keeps the evidence precise. Interviewer turns are kept in the table but never coded.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

import pandas as pd

from lived_experience.schemas import require_columns

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable, Iterator

    from spacy.tokenizer import Tokenizer
    from spacy.tokens import Doc

SENTENCE_COLUMNS = ("segment_id", "sentence_index", "sentence_id", "start", "end", "sentence")
_HAS_WORD = re.compile(r"[A-Za-z]{2}")


@functools.lru_cache(maxsize=1)
def english_tokenizer() -> Tokenizer:
    """spaCy's English tokenizer, built from ``English.Defaults`` as ``spacy.blank("en")``
    builds it, but without creating a ``Language``: that loads every installed spaCy plugin
    (Presidio's registers one that imports transformers), seconds that coding never needs."""
    from spacy.lang.en import English
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex
    from spacy.vocab import create_vocab

    defaults = English.Defaults
    return Tokenizer(
        create_vocab("en", defaults),
        rules=defaults.tokenizer_exceptions,
        prefix_search=compile_prefix_regex(defaults.prefixes or ()).search,
        suffix_search=compile_suffix_regex(defaults.suffixes or ()).search,
        infix_finditer=compile_infix_regex(defaults.infixes or ()).finditer,
        token_match=defaults.token_match,
        url_match=defaults.url_match,
    )


class _Sentencizer:
    """The English tokenizer followed by spaCy's rule-based ``Sentencizer``."""

    def __init__(self) -> None:
        from spacy.pipeline import Sentencizer

        self.tokenizer = english_tokenizer()
        self._sentencizer = Sentencizer()

    def __call__(self, text: str) -> Doc:
        return self._sentencizer(self.tokenizer(text))

    def pipe(self, texts: Iterable[str], batch_size: int = 256) -> Iterator[Doc]:
        for doc in self.tokenizer.pipe(texts, batch_size=batch_size):
            yield self._sentencizer(doc)


@functools.lru_cache(maxsize=1)
def _sentencizer() -> _Sentencizer:
    return _Sentencizer()


def split_sentences(segments: pd.DataFrame, text_column: str = "text") -> pd.DataFrame:
    """One row per sentence of every codeable segment, with character offsets.

    Segments with ``speaker_role == "interviewer"`` (when the column exists) and texts without
    words ("N/A", "-", blank) give no sentences. Sentence ids are ``<segment_id>#<n>``.
    """
    require_columns(segments, ["segment_id", text_column], "segments")
    codeable = segments
    if "speaker_role" in segments.columns:
        codeable = segments[segments["speaker_role"] != "interviewer"]
    texts = codeable[text_column].fillna("").astype(str).tolist()
    distinct = list(dict.fromkeys(texts))  # a repeated answer is split once
    spans = dict(
        zip(distinct, map(_codeable_sentences, _sentencizer().pipe(distinct)), strict=True)
    )
    rows = []
    for segment_id, text in zip(codeable["segment_id"].astype(str), texts, strict=True):
        for index, (start, end, sentence) in enumerate(spans[text]):
            rows.append(
                {
                    "segment_id": segment_id,
                    "sentence_index": index,
                    "sentence_id": f"{segment_id}#{index}",
                    "start": start,
                    "end": end,
                    "sentence": sentence,
                }
            )
    return pd.DataFrame(rows, columns=list(SENTENCE_COLUMNS))


def _codeable_sentences(doc: Doc) -> list[tuple[int, int, str]]:
    """(start, end, stripped text) of each sentence of ``doc`` that has words."""
    out = []
    for sentence in doc.sents:
        text = sentence.text.strip()
        if not _HAS_WORD.search(text) or text.lower() in {"n/a", "na", "none", "no comment"}:
            continue
        out.append((sentence.start_char, sentence.end_char, text))
    return out
