"""A detected span, and the rules that tidy and merge detections before replacement."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from spacy.lang.en.stop_words import STOP_WORDS

from lived_experience.anonymise.protected import ProtectedTerms
from lived_experience.anonymise.pseudonyms import TAG_PATTERN
from lived_experience.anonymise.recognisers.person_names import (
    COLOUR_SURNAMES,
    FUNCTION_WORD_NAME,
    MONTHS_AND_DAYS,
    NEVER_NAMES,
    PLACE_WORDS,
)

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


#: words trimmed off the edge of any name or place span ("the", "my", "Dr")
_EDGE_DETERMINERS = frozenset(
    ("the", "a", "an", "my", "our", "his", "her", "their", "your", "this", "that", "and", "of")
)
#: greetings trimmed off a name ("Hi Eric", "Dear Dr Okafor")
_GREETINGS = frozenset(("hi", "hello", "hey", "dear", "thanks", "cheers"))
#: a possessive followed by another word: a name ends at its "'s" ("Taylor's song")
_POSSESSIVE_THEN_WORD = re.compile(r"['’]s\s+\S")
#: why a detection was dropped (for the benchmark's cost/saving table)
DROP_REASONS = ("inside_tag", "protected_descriptor", "allow_list", "non_name_in_context")
_NAME_TYPES = frozenset(("PERSON", "NHS_SITE", "NHS_ORGANISATION", "UK_PLACE"))


def _trim_edges(text: str, detection: Detection, protected: ProtectedTerms) -> Detection | None:
    """Trim titles, stop words and protected words off both ends of a name or place.

    A PERSON span from spaCy's model keeps stop words that can be names ("Will", "May"):
    only titles, determiners and research descriptors are trimmed off it.
    """
    # the model's names, and our names that are also function words ("An", "June"), keep
    # stop words that can be names ("Will", "May", "An"): only titles etc. are trimmed
    function_word = detection.pattern.startswith(FUNCTION_WORD_NAME)
    from_model = detection.recogniser.startswith("Spacy") or function_word

    def trimmable(word: str) -> bool:
        if word in _TITLE_WORDS or word in _GREETINGS:
            return True
        if word in _EDGE_DETERMINERS:
            return not function_word
        if detection.entity_type == "PERSON" and protected.is_protected_word(word):
            return True
        return word in STOP_WORDS and not from_model

    start, end = detection.start, detection.end
    if detection.entity_type == "PERSON":
        possessive = _POSSESSIVE_THEN_WORD.search(text, start, end)
        if possessive:  # "Kristíana's address", "Pete's Cautionary Tales": the name is before
            end = possessive.start()
    while start < end:
        span = text[start:end]
        first = span.split(maxsplit=1)[0]
        word = first.strip(".,;:()\"'").lower()
        if trimmable(word):
            rest = span[len(first) :]
            start = end - len(rest.lstrip()) if rest.strip() else end
        else:
            break
    while start < end:
        span = text[start:end]
        last = span.rsplit(maxsplit=1)[-1]
        word = last.strip(".,;:()\"'").lower()
        surname = (
            (from_model or detection.recogniser.startswith("person_names"))
            and word in COLOUR_SURNAMES
            and (last[:1].isupper() or not detection.recogniser.startswith("Spacy"))
            and " " in text[start:end].strip()
        )  # "Kimberley Brown", "Sarah White", "june brown": the name ends in a surname
        if word not in _TITLE_WORDS and not surname and trimmable(word):
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
    dropped: list[tuple[Detection, str]] | None = None,
) -> list[Detection]:
    """Drop what must be kept, trim edges, and drop anything inside an existing tag.

    A detection is dropped only for one of :data:`DROP_REASONS`; pass ``dropped`` to
    collect ``(detection, reason)`` pairs (the benchmark counts what each rule costs).
    """
    tags = [(m.start(), m.end()) for m in TAG_PATTERN.finditer(text)]
    allowed = {a.casefold().strip() for a in allow_list}
    out = []
    for original in detections:
        detection = original
        reason = ""
        if any(s < detection.end and detection.start < e for s, e in tags):
            reason = "inside_tag"
        elif detection.entity_type in _NAME_TYPES and detection.pattern != "title":
            if protected.is_protected(text[detection.start : detection.end]):
                reason = "protected_descriptor"
            else:
                trimmed = _trim_edges(text, detection, protected)
                if trimmed is None:
                    reason = "non_name_in_context"
                else:
                    detection = trimmed
                    if protected.is_protected(text[detection.start : detection.end]):
                        reason = "protected_descriptor"
        if not reason and text[detection.start : detection.end].casefold().strip() in allowed:
            reason = "allow_list"
        if reason:
            if dropped is not None:
                dropped.append((original, reason))
            continue
        out.append(detection)
    return out


_JOINED = re.compile(r"\s*(?:,\s*(?:and\s+|&\s+)?|\s+(?:and|&|or)\s+)")
_NEXT_WORD = re.compile(r"[^\W\d_][\w'’\-]*")


def extend_name_lists(
    text: str, detections: Sequence[Detection], protected: ProtectedTerms
) -> list[Detection]:
    """Add the other names of a list of names joined by "and", "&" or commas.

    "Deepa and Marisol were on", "Oisin, Tadhg and Niamh": a capitalised word joined to a
    detected name is a name too, unless it is a stop word or a research descriptor.
    """
    people = [d for d in detections if d.entity_type == "PERSON"]
    added: list[Detection] = []
    taken = [(d.start, d.end) for d in detections]

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    for person in people:
        position = person.end
        for _ in range(4):  # forwards: "X and Y", "X, Y and Z"
            joiner = _JOINED.match(text, position)
            word = _NEXT_WORD.match(text, joiner.end()) if joiner else None
            if not word or not (
                _name_word(word.group(), protected) or _function_word_name(word.group())
            ):
                break
            end = word.end() - (2 if word.group().endswith(("'s", "’s")) else 0)
            if free(word.start(), end):
                added.append(Detection(word.start(), end, "PERSON", 0.6, "name_list", "and"))
                taken.append((word.start(), end))
            position = end
        follow = re.match(r" ([^\W\d_][\w'’\-]*)", text[person.end :])
        if follow and _name_word(follow.group(1), protected):  # spaCy's "Sauti" + "Ndung'u"
            word_start = person.end + 1
            word_end = word_start + len(re.sub(r"['’]s$", "", follow.group(1)))
            rest = text[word_end:].lstrip()
            if free(word_start, word_end) and not (rest[:1].isupper() or rest[:1].isdigit()):
                added.append(Detection(word_start, word_end, "PERSON", 0.6, "name_list", "surname"))
                taken.append((word_start, word_end))
        before = text[: person.start]
        match = re.search(r"([^\W\d_][\w'’\-]*)\s+(?:and|&)\s+$", before)
        if match and _name_word(match.group(1), protected) and free(match.start(1), match.end(1)):
            previous = before[: match.start(1)].rstrip()
            if previous and previous[-1] not in ".!?\n" and not previous.endswith(("the", "The")):
                added.append(
                    Detection(match.start(1), match.end(1), "PERSON", 0.6, "name_list", "and")
                )
                taken.append((match.start(1), match.end(1)))
    return sorted([*detections, *added], key=lambda d: (d.start, d.end))


def _function_word_name(word: str) -> bool:
    """A capitalised function word joined to a name mid-sentence ("Hạnh and An"): a name
    ("An" is Vietnamese), as the function word is not capitalised there."""
    lower = word.lower()
    return (
        word[:1].isupper()
        and not word.isupper()
        and len(word) > 1
        and lower in STOP_WORDS
        and lower not in NEVER_NAMES
    )


def _name_word(word: str, protected: ProtectedTerms) -> bool:
    lower = re.sub(r"['’]s$", "", word.lower())
    return (
        word[0].isupper()
        and not word.isupper()
        and len(word) > 1
        and lower not in STOP_WORDS
        and re.split(r"['’]", lower)[0] not in STOP_WORDS  # "I'm", "We're"
        and lower not in _TITLE_WORDS
        and lower not in PLACE_WORDS
        and lower not in MONTHS_AND_DAYS
        and not protected.is_protected_word(lower)
    )


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
