"""Cut a quote out of an answer: whole sentences, 15-120 words, ellipses where trimmed."""

from __future__ import annotations

from lived_experience.coding.segments import _sentencizer

MIN_WORDS, MAX_WORDS = 15, 120
ELLIPSIS = "…"


def _sentence_spans(answer: str) -> list[tuple[int, int]]:
    doc = _sentencizer()(answer)
    return [(s.start_char, s.end_char) for s in doc.sents if s.text.strip()]


def _words(text: str) -> int:
    return len(text.split())


def quote_window(
    answer: str, start: int, end: int, min_words: int = MIN_WORDS, max_words: int = MAX_WORDS
) -> str | None:
    """The coded sentence widened with neighbouring sentences to ``min_words`` words.

    Sentences are added after, then before, while the quote stays within ``max_words``; a
    single sentence longer than ``max_words`` is cut at a word boundary. An ellipsis marks
    every cut. Returns None when even the whole answer is shorter than ``min_words``.

    >>> answer = "I love my ward. " + "My manager blocks every single promotion I go for. " * 2
    >>> quote_window(answer, 16, 66).split(". ")[0]
    '… My manager blocks every single promotion I go for'
    """
    spans = _sentence_spans(answer)
    if not spans or _words(answer) < min_words:
        return None
    first = next((i for i, (s, e) in enumerate(spans) if s <= start < e), 0)
    last = next((i for i, (s, e) in enumerate(spans) if s < end <= e), first)
    lo, hi = first, max(first, last)

    def text(a: int, b: int) -> str:
        return answer[spans[a][0] : spans[b][1]].strip()

    while _words(text(lo, hi)) < min_words:
        if hi + 1 < len(spans) and _words(text(lo, hi + 1)) <= max_words:
            hi += 1
        elif lo > 0 and _words(text(lo - 1, hi)) <= max_words:
            lo -= 1
        else:
            break
    body = text(lo, hi)
    cut_end = hi < len(spans) - 1
    if _words(body) > max_words:
        body = " ".join(body.split()[:max_words]).rstrip(",;:")
        cut_end = True
    if _words(body) < min_words:
        return None
    prefix = f"{ELLIPSIS} " if lo > 0 else ""
    suffix = f" {ELLIPSIS}" if cut_end else ""
    return f"{prefix}{body}{suffix}"
