"""A detected span, and the rules that tidy and merge detections before replacement."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from spacy.lang.en.stop_words import STOP_WORDS

from lived_experience.anonymise.protected import ProtectedTerms
from lived_experience.anonymise.pseudonyms import TAG_PATTERN

_TITLE_WORDS = frozenset(
    ("dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sister", "matron", "nurse", "sr")
)
_EDGE_WORD = re.compile(r"^[\W_]*([\w'’.-]+?)[\W_]*$")


@dataclass(frozen=True)
class Detection:
    """One detected identifier: where, what, how sure, and who found it."""

    start: int
    end: int
    entity_type: str
    score: float
    recogniser: str
    pattern: str = ""

    def overlaps(self, other: Detection) -> bool:
        return self.start < other.end and other.start < self.end


def _trim_edges(text: str, detection: Detection, protected: ProtectedTerms) -> Detection | None:
    """Trim titles, stop words and protected words off both ends of a name or place."""
    start, end = detection.start, detection.end
    while start < end:
        span = text[start:end]
        first = span.split(maxsplit=1)[0]
        word = first.strip(".,;:()\"'").lower()
        if (
            word in _TITLE_WORDS
            or word in STOP_WORDS
            or (detection.entity_type == "PERSON" and protected.is_protected_word(word))
        ):
            rest = span[len(first) :]
            start = end - len(rest.lstrip()) if rest.strip() else end
        else:
            break
    while start < end:
        span = text[start:end]
        last = span.rsplit(maxsplit=1)[-1]
        word = last.strip(".,;:()\"'").lower()
        if word in STOP_WORDS or (
            detection.entity_type == "PERSON" and protected.is_protected_word(word)
        ):
            head = span[: len(span) - len(last)]
            end = start + len(head.rstrip()) if head.strip() else start
        else:
            break
    while end > start and text[end - 1] in ".,;:!?)\"'’ ":
        end -= 1
    if end <= start:
        return None
    return replace(detection, start=start, end=end)


def tidy_detections(
    text: str,
    detections: Iterable[Detection],
    protected: ProtectedTerms,
    allow_list: Sequence[str] = (),
) -> list[Detection]:
    """Drop what must be kept, trim edges, and drop anything inside an existing tag."""
    tags = [(m.start(), m.end()) for m in TAG_PATTERN.finditer(text)]
    allowed = {a.casefold().strip() for a in allow_list}
    out = []
    for detection in detections:
        if any(s < detection.end and detection.start < e for s, e in tags):
            continue
        if detection.entity_type in {"PERSON", "NHS_SITE", "NHS_ORGANISATION"} and (
            detection.pattern != "title"
        ):
            trimmed = _trim_edges(text, detection, protected)
            if trimmed is None:
                continue
            detection = trimmed
            if protected.is_protected(text[detection.start : detection.end]):
                continue
        if text[detection.start : detection.end].casefold().strip() in allowed:
            continue
        out.append(detection)
    return out


def merge_overlapping(detections: Iterable[Detection], priority: Sequence[str]) -> list[Detection]:
    """Merge overlapping detections into their union; the type highest in ``priority`` wins.

    Taking the union (not the best single span) means no part of an identifier is left
    behind when two recognisers disagree on its edges.
    """
    rank = {entity: i for i, entity in enumerate(priority)}
    # every field in the key: equal spans merge the same way whatever order they came in
    ordered = sorted(
        detections,
        key=lambda d: (
            d.start,
            -d.end,
            rank.get(d.entity_type, len(rank)),
            -d.score,
            d.entity_type,
            d.recogniser,
            d.pattern,
        ),
    )
    merged: list[Detection] = []
    for detection in ordered:
        if merged and detection.start < merged[-1].end:
            last = merged[-1]
            best = min(
                (last, detection), key=lambda d: (rank.get(d.entity_type, len(rank)), -d.score)
            )
            recognisers = (
                last.recogniser
                if detection.recogniser in last.recogniser.split("+")
                else f"{last.recogniser}+{detection.recogniser}"
            )
            merged[-1] = Detection(
                last.start,
                max(last.end, detection.end),
                best.entity_type,
                max(last.score, detection.score),
                recognisers,
                best.pattern,
            )
        else:
            merged.append(detection)
    return merged
