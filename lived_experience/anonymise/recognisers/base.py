"""A small base class for regular-expression recognisers with a capture group and a check.

Presidio's ``PatternRecognizer`` returns the whole match; ours can return one group (so
"GMC number 7123456" yields only the number) and validate it (NHS Modulus 11, NI prefixes).
Subclasses declare ``ENTITY``, ``PATTERNS`` and optionally ``validate``, as class data.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts


def recogniser_result(
    recogniser: EntityRecognizer, entity: str, start: int, end: int, score: float, pattern: str
) -> RecognizerResult:
    """A Presidio result that records which recogniser and which pattern found the span."""
    name: str = recogniser.name  # type: ignore[has-type]
    explanation = AnalysisExplanation(
        recognizer=name, original_score=score, pattern_name=pattern, pattern=""
    )
    return RecognizerResult(
        entity,
        start,
        end,
        score,
        analysis_explanation=explanation,
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recogniser.id,
        },
    )


def drop_nested(results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Results not strictly inside another (two patterns finding one value, one longer)."""
    return [
        r
        for r in results
        if not any(
            o.start <= r.start and r.end <= o.end and (o.start, o.end) != (r.start, r.end)
            for o in results
        )
    ]


class RegexRecognizer(EntityRecognizer):
    """Find ``ENTITY`` with ``PATTERNS``: (name, regex, score, group).

    ``group`` is the capture group whose span is reported (0 for the whole match).
    """

    ENTITY: ClassVar[str] = ""
    PATTERNS: ClassVar[tuple[tuple[str, str, float, int | str], ...]] = ()
    FLAGS: ClassVar[int] = 0
    #: pattern name -> lower-case words one of which the text must contain for the pattern to
    #: be tried at all (a cheap test before a costly regular expression)
    NEEDS: ClassVar[dict[str, tuple[str, ...]]] = {}
    #: registry name, versioned so an old report can be reproduced
    NAME: ClassVar[str] = ""

    def __init__(self) -> None:
        self._compiled = [
            (name, re.compile(pattern, self.FLAGS), score, group)
            for name, pattern, score, group in self.PATTERNS
        ]
        super().__init__(
            supported_entities=[self.ENTITY],
            name=self.NAME or type(self).__name__,
            supported_language="en",
        )

    def load(self) -> None:  # patterns are compiled in __init__
        return None

    def validate(self, value: str) -> bool:
        """Return False to reject a match (e.g. a failed checksum)."""
        return True

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if entities and self.ENTITY not in entities:
            return []
        results: list[RecognizerResult] = []
        seen: set[tuple[int, int]] = set()
        lowered = text.lower() if self.NEEDS else text
        for name, regex, score, group in self._compiled:  # best-scoring patterns first
            needs = self.NEEDS.get(name)
            if needs and not any(word in lowered for word in needs):
                continue
            for match in regex.finditer(text):
                start, end = match.span(group)
                if (
                    start < 0
                    or start == end
                    or (start, end) in seen
                    or not self.validate(match.group(group))
                ):
                    continue
                seen.add((start, end))
                results.append(recogniser_result(self, self.ENTITY, start, end, score, name))
        return results
