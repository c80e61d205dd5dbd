"""The rule coder: a code's keywords and phrases, matched with spaCy, aware of negation.

"I have never been bullied" does not get ``bullying_from_staff``; "I was bullied" does.
A match's score rises with the number of distinct phrases of the code found in the sentence;
its evidence is the phrase itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from lived_experience.codebook import Codebook

NEGATIONS = frozenset(("not", "never", "no", "n't", "without", "nobody", "none", "hardly"))
NEGATION_WINDOW = 4


class RuleCoder:
    """Keyword / phrase coder (``rule_coder.v1``).

    Parameters
    ----------
    codebook:
        Codes and their ``keywords``.

    Examples
    --------
    >>> from lived_experience.codebook import load_codebook
    >>> coder = RuleCoder(load_codebook("codebooks/wres_lived_experience.yaml"))
    >>> scores, evidence = coder.score(["I was bullied by my manager.", "I was never bullied."])
    >>> coder.code_ids.index("bullying_from_staff") in np.flatnonzero(scores[0])
    True
    >>> bool(scores[1].any())
    False
    """

    name = "rule_coder.v1"

    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self.code_ids = codebook.code_ids
        self._matcher = None
        self._tokenizer = None
        # the last call's sentences and result: the hybrid coder's rule side and its
        # classifier's rule features score the same sentences one after the other
        self._last: tuple[tuple[str, ...], np.ndarray, list[list[str]]] | None = None

    def _build(self):  # type: ignore[no-untyped-def]
        if self._matcher is None:
            from spacy.matcher import PhraseMatcher

            from lived_experience.coding.segments import english_tokenizer

            self._tokenizer = english_tokenizer()
            self._matcher = PhraseMatcher(self._tokenizer.vocab, attr="LOWER")
            for code in self.codebook.codes:
                phrases = [*code.keywords, *code.patterns]
                if phrases:
                    self._matcher.add(code.id, list(self._tokenizer.pipe(phrases)))
        return self._matcher

    def score(self, sentences: Sequence[str]) -> tuple[np.ndarray, list[list[str]]]:
        """(n_sentences x n_codes) scores in [0, 1], and the evidence for each cell."""
        key = tuple(sentences)
        if self._last is not None and self._last[0] == key:
            return self._last[1].copy(), [list(row) for row in self._last[2]]
        scores, evidence = self._score(key)
        self._last = (key, scores.copy(), [list(row) for row in evidence])
        return scores, evidence

    def _score(self, sentences: Sequence[str]) -> tuple[np.ndarray, list[list[str]]]:
        matcher = self._build()
        assert self._tokenizer is not None
        scores = np.zeros((len(sentences), len(self.code_ids)), dtype=np.float32)
        evidence = [["" for _ in self.code_ids] for _ in sentences]
        index = {code: i for i, code in enumerate(self.code_ids)}
        for row, doc in enumerate(self._tokenizer.pipe(list(sentences), batch_size=512)):
            found: dict[str, list[str]] = {}
            for match_id, start, end in matcher(doc):
                window = doc[max(0, start - NEGATION_WINDOW) : start]
                if any(token.lower_ in NEGATIONS for token in window):
                    continue
                code = self._tokenizer.vocab.strings[match_id]
                phrase = doc[start:end].text
                if phrase.lower() not in (p.lower() for p in found.get(code, [])):
                    found.setdefault(code, []).append(phrase)
            for code, phrases in found.items():
                scores[row, index[code]] = 1 - 0.5 ** (len(phrases) + 1)
                evidence[row][index[code]] = "; ".join(phrases)
        return scores, evidence

    def assign(self, sentences: Sequence[str]) -> pd.DataFrame:
        """Long table: sentence position, code, score, evidence (matches only)."""
        scores, evidence = self.score(sentences)
        rows, cols = np.nonzero(scores)
        return pd.DataFrame(
            {
                "position": rows,
                "code": [self.code_ids[c] for c in cols],
                "score": scores[rows, cols],
                "evidence": [evidence[r][c] for r, c in zip(rows, cols, strict=True)],
            }
        )
