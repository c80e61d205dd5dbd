"""The anonymiser: Presidio's AnalyzerEngine over a preloaded spaCy pipeline, in batches.

Texts go through ``nlp.pipe`` in batches with only the components NER needs, and each
resulting Doc is handed to Presidio's ``AnalyzerEngine.analyze`` as precomputed NLP
artifacts, so Presidio adds its recognisers without running spaCy again. Nothing here
downloads anything: the spaCy pipeline is loaded from the configured name or folder, and
no recogniser uses tldextract.

>>> anonymiser = Anonymiser(AnonymiserSettings(use_ner=False), secret=b"k" * 32)
>>> anonymiser.anonymise_text("Call me on 07700 900123.")[0]
'Call me on [PHONE_NUMBER_...].'
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from dataclasses import replace as replace_span
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pandas as pd

from lived_experience.anonymise.detection import (
    Detection,
    extend_name_lists,
    merge_overlapping,
    tidy_detections,
)
from lived_experience.anonymise.gazetteer import load_gazetteer
from lived_experience.anonymise.indirect import find_indirect_identifiers
from lived_experience.anonymise.normalise import needs_normalising, normalise_for_detection
from lived_experience.anonymise.operators import get_operator
from lived_experience.anonymise.protected import ProtectedTerms
from lived_experience.anonymise.pseudonyms import PseudonymTagger, load_or_create_secret
from lived_experience.anonymise.recognisers import RecogniserOptions, build_recogniser
from lived_experience.anonymise.recognisers.other_script import OtherScriptRecognizer
from lived_experience.anonymise.settings import AnonymiserSettings
from lived_experience.errors import InputLimitError
from lived_experience.schemas import require_columns

if TYPE_CHECKING:  # pragma: no cover
    from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerResult
    from spacy.language import Language

    from lived_experience.anonymise.review import Decisions

logger = logging.getLogger(__name__)

#: Columns of the entities table (one row per detection), also the decisions template.
ENTITY_COLUMNS = (
    "record_id",
    "field",
    "start",
    "end",
    "entity_type",
    "score",
    "recogniser",
    "pattern",
    "risk",
    "original",
    "replacement",
    "decision",
)

#: a letter or digit of any script (a whole answer in Urdu is read too)
_HAS_WORD = re.compile(r"[^\W_]")


def _preloaded_engine(nlp: Language) -> object:
    """A Presidio spaCy NLP engine around an already-loaded pipeline (no download, no reload)."""
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

    class PreloadedSpacyNlpEngine(SpacyNlpEngine):
        def __init__(self, pipeline: Language) -> None:
            labels = (
                set(getattr(pipeline.get_pipe("ner"), "labels", ()))
                if "ner" in pipeline.pipe_names
                else set()
            )
            super().__init__(
                models=[{"lang_code": "en", "model_name": "preloaded"}],
                ner_model_configuration=NerModelConfiguration(
                    labels_to_ignore=sorted(labels - {"PERSON", "PER"}),
                    default_score=0.85,
                ),
            )
            self.nlp = {"en": pipeline}  # type: ignore[assignment]

        def load(self) -> None:
            return None

        def _doc_to_nlp_artifact(self, doc, language):  # type: ignore[no-untyped-def]
            # every entity the model found, whatever its label, read once (each read of
            # doc.ents walks the whole document): the name and place recognisers use them
            found = tuple(doc.ents)
            entities, scores = self._get_updated_entities(
                list(found), [self.ner_model_configuration.default_score] * len(found)
            )
            return _LazyArtifacts(doc, found, entities, scores, self, language)

    return PreloadedSpacyNlpEngine(nlp)


class _LazyArtifacts:
    """Presidio's ``NlpArtifacts`` for one document, with the per-token lists (lemmas,
    token offsets, context keywords) worked out only if something reads them.

    Our recognisers read the document and its entities; only Presidio's context enhancer
    (``AnalyzerEngine.analyze``) reads the lists, and building them walked every document
    four more times (about a tenth of the whole anonymiser's time on short answers).
    """

    def __init__(
        self,
        doc: Any,
        model_entities: tuple[Any, ...],
        entities: list[Any],
        scores: list[float],
        engine: Any,
        language: str,
    ) -> None:
        self.tokens = doc
        self.model_entities = model_entities
        self.entities = entities
        self.scores = scores
        self.nlp_engine = engine
        self.language = language

    @cached_property
    def tokens_indices(self) -> list[int]:
        return [token.idx for token in self.tokens]

    @cached_property
    def lemmas(self) -> list[str]:
        lemmas = [token.lemma_ for token in self.tokens]
        if not any(lemmas):  # no lemmatiser: lower-case words stand in
            lemmas = [token.lower_ for token in self.tokens]
        return lemmas

    @cached_property
    def keywords(self) -> list[str]:
        from presidio_analyzer.nlp_engine import NlpArtifacts

        return NlpArtifacts.set_keywords(self.nlp_engine, self.lemmas, self.language)  # type: ignore[no-any-return]


@dataclass
class AnonymisedFrame:
    """What :meth:`Anonymiser.anonymise_frame` returns."""

    frame: pd.DataFrame
    entities: pd.DataFrame


class Anonymiser:
    """Detect and replace identifiers in free text, consistently across a project.

    Parameters
    ----------
    settings:
        :class:`AnonymiserSettings`; defaults detect every UK/NHS identifier type.
    secret:
        Key for consistent pseudonyms; default: the project secret file (created once).
    nlp:
        An already-loaded spaCy pipeline, to share one between objects (tests, notebooks).
    """

    def __init__(
        self,
        settings: AnonymiserSettings | None = None,
        secret: bytes | None = None,
        nlp: Language | None = None,
    ) -> None:
        self.settings = settings or AnonymiserSettings()
        self.secret = secret
        self.nlp = nlp
        self._analyzer: AnalyzerEngine | None = None

    # -- set-up ---------------------------------------------------------------------------
    @property
    def tagger(self) -> PseudonymTagger:
        if self.secret is None:
            self.secret = load_or_create_secret()
        return PseudonymTagger(self.secret, self.settings.tag_length)

    def _build(self) -> AnalyzerEngine:
        if self._analyzer is not None:
            return self._analyzer
        import spacy
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.predefined_recognizers import SpacyRecognizer

        from lived_experience.models import load_spacy

        s = self.settings
        self.protected = ProtectedTerms(extra=s.allow_list)
        options = RecogniserOptions(
            protected=self.protected,
            use_gazetteer=s.use_gazetteer,
            gazetteer=load_gazetteer(s.gazetteer_files) if s.use_gazetteer else None,
        )

        class OrderedRegistry(RecognizerRegistry):
            """Presidio collects recognisers in a set (order by memory address), so equal
            spans from two recognisers were credited to either; sorting by name makes the
            first registered name win, the same in every run."""

            def get_recognizers(self, *args, **kwargs):  # type: ignore[no-untyped-def]
                found = super().get_recognizers(*args, **kwargs)
                return sorted(found, key=lambda r: (str(r.name), str(r.supported_entities)))

        registry = OrderedRegistry(supported_languages=["en"])
        for name in s.recognisers:
            if name == OtherScriptRecognizer.NAME and not s.other_scripts:
                continue
            registry.add_recognizer(build_recogniser(name, options))
        if s.use_ner:
            if self.nlp is None:
                self.nlp = load_spacy(s.spacy_model, ner_only=True)
            registry.add_recognizer(SpacyRecognizer(supported_entities=["PERSON"]))
            engine = _preloaded_engine(self.nlp)
        else:  # rules only: a blank tokenizer, no model to load
            engine = _preloaded_engine(spacy.blank("en"))
        supported = {e for r in registry.recognizers for e in r.supported_entities}
        # only entities some recogniser finds (Presidio warns about, then drops, the others)
        self._entities = [e for e in s.entities if e in supported] or list(s.entities)
        self._analyzer = AnalyzerEngine(
            registry=registry,
            nlp_engine=engine,  # type: ignore[arg-type]
            supported_languages=["en"],
        )
        self._deny = [
            re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)
            for term in s.deny_list
            if term.strip()
        ]
        return self._analyzer

    # -- detection ------------------------------------------------------------------------
    def _artifacts(self, texts: Sequence[str]) -> Iterator[object]:
        analyzer = self._build()
        engine = analyzer.nlp_engine
        yield from (
            artifacts
            for _, artifacts in engine.process_batch(  # type: ignore[attr-defined]
                list(texts),
                language="en",
                batch_size=self.settings.batch_size,
                n_process=self.settings.n_process,
            )
        )

    def detect(
        self,
        texts: Sequence[str],
        dropped: list[tuple[int, Detection, str]] | None = None,
    ) -> list[list[Detection]]:
        """Detections for each text, tidied and merged, in text order.

        ``dropped``, if given, collects ``(text index, detection, reason)`` for every
        detection a tidying rule dropped (see :data:`~.detection.DROP_REASONS`).
        """
        analyzer = self._build()
        s = self.settings
        out: list[list[Detection]] = [[] for _ in texts]
        todo = [i for i, t in enumerate(texts) if isinstance(t, str) and _HAS_WORD.search(t)]
        limit = self._max_length()
        for i in todo:
            if len(texts[i]) > limit:
                raise InputLimitError(
                    f"text number {i + 1} of this batch has {len(texts[i]):,} characters, over "
                    f"the {limit:,} the language model accepts. Fix: split long texts (ingest "
                    "refuses cells over LIVED_EXPERIENCE_MAX_CELL_CHARS)."
                )
        # detection runs on a normalised copy (NFKC, no zero-width or bidi controls) so that
        # disguised names are found; spans are mapped back to the original text
        normalised = {
            i: normalise_for_detection(texts[i]) for i in todo if needs_normalising(texts[i])
        }
        batch = [normalised[i].text if i in normalised else texts[i] for i in todo]
        entities = list(self._entities)
        recognisers = analyzer.registry.get_recognizers(language="en", entities=entities)
        for index, text, artifacts in zip(todo, batch, self._artifacts(batch), strict=True):
            results = _recognise(text, artifacts, recognisers, entities, s.score_threshold)
            found = [
                Detection(
                    r.start,
                    r.end,
                    r.entity_type,
                    float(r.score),
                    str((r.recognition_metadata or {}).get("recognizer_name", "")),
                    str(getattr(r.analysis_explanation, "pattern_name", "") or ""),
                )
                for r in results
            ]
            for regex in self._deny:
                found += [
                    Detection(m.start(), m.end(), "DENY_LIST", 1.0, "deny_list", "deny")
                    for m in regex.finditer(text)
                ]
            lost: list[tuple[Detection, str]] | None = [] if dropped is not None else None
            found = tidy_detections(text, found, self.protected, s.allow_list, lost)
            if dropped is not None and lost:
                dropped += [(index, d, reason) for d, reason in lost]
            found = extend_name_lists(text, found, self.protected)
            merged = merge_overlapping(found, (*s.entities, "DENY_LIST"))
            if index in normalised:
                norm = normalised[index]
                merged = [
                    replace_span(d, start=span[0], end=span[1])
                    for d in merged
                    if d.end > d.start
                    for span in [norm.to_original(d.start, d.end)]
                ]
            out[index] = merged
        return out

    def _max_length(self) -> int:
        nlp = self.nlp
        return int(getattr(nlp, "max_length", 1_000_000)) if nlp is not None else 1_000_000

    # -- replacement ----------------------------------------------------------------------
    def replace(self, text: str, detections: Sequence[Detection]) -> tuple[str, list[str]]:
        """Replace ``detections`` (non-overlapping) in ``text``; return it and the replacements."""
        operator = get_operator(self.settings.operator)
        tagger = self.tagger
        # the normalised value, so "K\u200bwame" and "Kwame" get the same pseudonym
        replacements = [
            d.pattern
            if d.entity_type == "INDIRECT_IDENTIFIER"  # a readable generalisation
            else operator(tagger, d.entity_type, _detection_value(text[d.start : d.end]))
            for d in detections
        ]
        pieces = []
        position = 0
        for detection, replacement in sorted(
            zip(detections, replacements, strict=True), key=lambda pair: pair[0].start
        ):
            pieces += [text[position : detection.start], replacement]
            position = detection.end
        pieces.append(text[position:])
        return "".join(pieces), replacements

    def anonymise_text(self, text: str) -> tuple[str, list[Detection]]:
        """Anonymise one text; for many, :meth:`anonymise_texts` is much faster."""
        return self.anonymise_texts([text])[0]

    def anonymise_texts(self, texts: Sequence[str]) -> list[tuple[str, list[Detection]]]:
        """Anonymise texts in batches; each result is (new text, detections)."""
        results = []
        for text, detections in zip(texts, self.detect(texts), strict=True):
            results.append((self.replace(text, detections)[0] if detections else text, detections))
        return results

    def anonymise_frame(
        self,
        frame: pd.DataFrame,
        text_columns: Sequence[str],
        id_column: str | None = None,
        decisions: Decisions | None = None,
    ) -> AnonymisedFrame:
        """Anonymise ``text_columns`` of ``frame``; every other column is left as it is.

        Returns a new frame (same rows, order, index and columns) and the entities table
        (one row per detection; ``original`` holds the detected value, so the entities
        table is sensitive and belongs in the review pack, never beside shared outputs).
        """
        require_columns(frame, [*text_columns, *([id_column] if id_column else [])], "anonymise")
        ids = frame[id_column].astype(str).tolist() if id_column else [str(i) for i in frame.index]
        out = frame.copy()
        rows: list[dict[str, object]] = []
        for column in text_columns:
            values = frame[column].tolist()
            texts = [v if isinstance(v, str) else "" for v in values]
            detected = self.detect(texts)
            new_values: list[object] = []
            for record_id, value, text, detections in zip(
                ids, values, texts, detected, strict=True
            ):
                flags = (
                    find_indirect_identifiers(text)
                    if self.settings.flag_indirect and isinstance(value, str)
                    else []
                )
                detections = _with_indirect(detections, flags)
                flagged = [d for d in detections if d.entity_type == "INDIRECT_IDENTIFIER"]
                if decisions is not None:
                    detections = decisions.apply(
                        record_id, column, text, detections, self.settings.entities
                    )
                kept_by_reviewer = [f for f in flagged if f not in detections]
                if not isinstance(value, str) or not detections:
                    new_values.append(value)
                else:
                    new_text, replacements = self.replace(text, detections)
                    new_values.append(new_text)
                    for detection, replacement in zip(detections, replacements, strict=True):
                        risk = "high" if detection.entity_type == "INDIRECT_IDENTIFIER" else ""
                        rows.append(
                            _entity_row(record_id, column, text, detection, replacement, risk)
                        )
                for flag in kept_by_reviewer:  # flagged, and kept as written by a reviewer
                    rows.append(_entity_row(record_id, column, text, flag, "", "high", "reject"))
            out[column] = pd.Series(new_values, index=frame.index, dtype=frame[column].dtype)
        entities = pd.DataFrame(rows, columns=list(ENTITY_COLUMNS))
        return AnonymisedFrame(out, entities)


def _detection_value(value: str) -> str:
    return normalise_for_detection(value).text if needs_normalising(value) else value


def _with_indirect(detections: list[Detection], flags: list[Detection]) -> list[Detection]:
    """Detections with each flagged phrase added; a flag absorbs what lies inside it."""
    if not flags:
        return detections
    flagged = []
    for flag in flags:
        overlapping = [d for d in detections if d.overlaps(flag)]
        start = min([flag.start, *(d.start for d in overlapping)])
        end = max([flag.end, *(d.end for d in overlapping)])
        flagged.append(Detection(start, end, flag.entity_type, 1.0, flag.recogniser, flag.pattern))
    rest = [d for d in detections if not any(d.overlaps(f) for f in flagged)]
    return sorted([*rest, *flagged], key=lambda d: d.start)


def _entity_row(
    record_id: str,
    field: str,
    text: str,
    detection: Detection,
    replacement: str,
    risk: str = "",
    decision: str = "accept",
) -> dict[str, object]:
    return {
        "record_id": record_id,
        "field": field,
        "start": detection.start,
        "end": detection.end,
        "entity_type": detection.entity_type,
        "score": round(detection.score, 3),
        "recogniser": detection.recogniser,
        "pattern": detection.pattern,
        "risk": risk,
        "original": text[detection.start : detection.end],
        "replacement": replacement,
        "decision": decision,
    }


def _recognise(
    text: str,
    artifacts: object,
    recognisers: Sequence[EntityRecognizer],
    entities: list[str],
    threshold: float,
) -> list[RecognizerResult]:
    """What ``AnalyzerEngine.analyze`` returns for precomputed NLP artifacts, without its
    per-call overhead (a deep copy of every result for context enhancement, which none of
    these recognisers' scores needs: each is final when it leaves its recogniser).

    Same recognisers, same threshold, same duplicate removal: the test
    ``test_engine.py::test_detection_matches_presidio_analyze`` checks the two agree.
    """
    from presidio_analyzer import EntityRecognizer, RecognizerResult

    results: list[RecognizerResult] = []
    for recogniser in recognisers:
        found = recogniser.analyze(text=text, entities=entities, nlp_artifacts=artifacts)  # type: ignore[arg-type]
        for result in found or ():
            metadata = result.recognition_metadata or {}
            metadata.setdefault(RecognizerResult.RECOGNIZER_NAME_KEY, str(recogniser.name))  # type: ignore[has-type]
            metadata.setdefault(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY, recogniser.id)
            result.recognition_metadata = metadata
            if result.score >= threshold:
                results.append(result)
    return EntityRecognizer.remove_duplicates(results)  # type: ignore[no-any-return]
