"""Coders behind one interface, in a registry: rule, embedding, hybrid (default), learned.

Every coder turns sentences into an (n_sentences x n_codes) score matrix in [0, 1], a
boolean assignment matrix (multi-label), and the evidence for each assignment (the matched
phrase, or the nearest codebook example). Thresholds are per code and can be calibrated from
a labelled sample (:func:`lived_experience.coding.calibrate.calibrate_thresholds`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from lived_experience.codebook import Codebook
from lived_experience.coding.abstain import NO_CODE_EXAMPLES, descriptive_mask
from lived_experience.coding.embeddings import Embedder
from lived_experience.coding.rules import RuleCoder
from lived_experience.registry import Registry

DEFAULT_THRESHOLD = 0.5


@dataclass
class CodingResult:
    """Scores, assignments and evidence for a list of sentences."""

    code_ids: list[str]
    scores: np.ndarray
    assigned: np.ndarray
    evidence: list[list[str]]


@dataclass
class EmbeddingCoder:
    """Similarity of each sentence to each code's definition and examples (``embedding_coder.v1``).

    A code's score is the highest cosine similarity between the sentence and the code's label
    plus definition, or any of its examples; it is assigned at or above the code's threshold.

    With ``abstain`` (``embedding_coder.v2``, the default) a sentence gets no code when it
    only states a role, band, shift or place, or when it is more similar to the "no code"
    sentences (:data:`~lived_experience.coding.abstain.NO_CODE_EXAMPLES`) than to the code's
    own definition and examples. ``embedding_coder.v1`` is the same without abstention.
    """

    codebook: Codebook
    embedder: Embedder = field(default_factory=Embedder)
    thresholds: dict[str, float] = field(default_factory=dict)
    abstain: bool = True
    name: str = "embedding_coder.v2"

    def __post_init__(self) -> None:
        self.code_ids = self.codebook.code_ids
        prototypes, owners = [], []
        for i, code in enumerate(self.codebook.codes):
            for text in (f"{code.label}. {code.definition}", *code.examples):
                prototypes.append(text)
                owners.append(i)
        self._prototypes = prototypes
        self._owners = np.array(owners)
        self._prototype_vectors: np.ndarray | None = None
        self._no_code_vectors: np.ndarray | None = None

    def abstentions(self, sentences: Sequence[str], scores: np.ndarray) -> np.ndarray:
        """(sentences x codes) True where the coder abstains (see the class docstring)."""
        out = np.zeros(scores.shape, dtype=bool)
        if not self.abstain or not len(sentences):
            return out
        if self._no_code_vectors is None:
            self._no_code_vectors = self.embedder.embed(list(NO_CODE_EXAMPLES))
        vectors = self.embedder.embed(list(sentences))
        no_code = (vectors @ self._no_code_vectors.T).max(axis=1)
        out |= scores < no_code[:, None]
        out[descriptive_mask(sentences)] = True
        return out

    def threshold(self, code_id: str) -> float:
        return self.thresholds.get(code_id, DEFAULT_THRESHOLD)

    def similarities(self, sentences: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(scores n x codes, index of the nearest prototype per cell)."""
        if self._prototype_vectors is None:
            self._prototype_vectors = self.embedder.embed(self._prototypes)
        vectors = (
            self.embedder.embed(list(sentences))
            if len(sentences)
            else np.zeros((0, self._prototype_vectors.shape[1]), dtype=np.float32)
        )
        similarity = vectors @ self._prototype_vectors.T
        scores = np.zeros((len(sentences), len(self.code_ids)), dtype=np.float32)
        nearest = np.zeros((len(sentences), len(self.code_ids)), dtype=np.int64)
        for c in range(len(self.code_ids)):
            columns = np.flatnonzero(self._owners == c)
            block = similarity[:, columns]
            scores[:, c] = block.max(axis=1) if len(sentences) else 0
            nearest[:, c] = columns[block.argmax(axis=1)] if len(sentences) else 0
        return np.clip(scores, 0, 1), nearest

    def code(self, sentences: Sequence[str]) -> CodingResult:
        scores, nearest = self.similarities(sentences)
        limits = np.array([self.threshold(c) for c in self.code_ids], dtype=np.float32)
        assigned = (scores >= limits) & ~self.abstentions(sentences, scores)
        evidence = [
            [
                f"nearest example: {self._prototypes[nearest[r, c]]}" if assigned[r, c] else ""
                for c in range(len(self.code_ids))
            ]
            for r in range(len(sentences))
        ]
        return CodingResult(self.code_ids, scores, assigned, evidence)


@dataclass
class HybridCoder:
    """Rules and a codebook-based scorer together (``hybrid_coder.v3`` is the default).

    A code is assigned when its phrases match (not negated) *and* the sentence scores at
    least ``rule_floor`` for the code on the non-rule side, or when that score alone reaches
    the code's threshold. The score is the larger of the two; the evidence is the
    matched phrase where there is one, else the nearest example.

    With ``abstain`` (``hybrid_coder.v2``) the embedding side abstains as the
    embedding coder does, and a sentence that only states a role, band, shift or place gets
    no code at all; ``hybrid_coder.v1`` is the same without abstention.

    ``scorer`` is the non-rule side: ``"similarity"`` (v1, v2: the embedding coder's cosine
    similarity to the code's definition and examples) or ``"codebook_classifier"``
    (``hybrid_coder.v3``, the default: classifiers trained on the codebook's definitions and
    examples, :mod:`lived_experience.coding.codebook_classifier`; on real comments coded with
    someone else's codebook it agrees far better, ``docs/benchmarks_coding.md``).
    """

    codebook: Codebook
    embedder: Embedder = field(default_factory=Embedder)
    thresholds: dict[str, float] = field(default_factory=dict)
    rule_floor: float = 0.25
    abstain: bool = True
    scorer: str = "codebook_classifier"
    name: str = "hybrid_coder.v3"

    def __post_init__(self) -> None:
        self.code_ids = self.codebook.code_ids
        self.rules = RuleCoder(self.codebook)
        if self.scorer == "similarity":
            scorer: type[EmbeddingCoder] = EmbeddingCoder
        elif self.scorer == "codebook_classifier":
            from lived_experience.coding.codebook_classifier import CodebookClassifierCoder

            scorer = CodebookClassifierCoder
        else:
            from lived_experience.errors import ConfigError

            raise ConfigError(
                "hybrid coder scorer must be 'similarity' or 'codebook_classifier', not "
                f"'{self.scorer}'."
            )
        self.embedding = scorer(self.codebook, self.embedder, self.thresholds, abstain=self.abstain)
        if self.scorer == "codebook_classifier":
            self.embedding.rules = self.rules  # type: ignore[attr-defined]

    def code(self, sentences: Sequence[str]) -> CodingResult:
        rule_scores, rule_evidence = self.rules.score(sentences)
        embedded = self.embedding.code(sentences)
        rule_hit = (rule_scores > 0) & (embedded.scores >= self.rule_floor)
        if self.abstain and len(sentences):
            rule_hit[descriptive_mask(sentences)] = False
        assigned = rule_hit | embedded.assigned
        scores = np.where(rule_hit, np.maximum(rule_scores, embedded.scores), embedded.scores)
        evidence = [
            [
                (rule_evidence[r][c] if rule_hit[r, c] else embedded.evidence[r][c])
                if assigned[r, c]
                else ""
                for c in range(len(self.code_ids))
            ]
            for r in range(len(sentences))
        ]
        return CodingResult(self.code_ids, scores.astype(np.float32), assigned, evidence)


@dataclass
class RuleOnlyCoder:
    """The rule coder behind the common interface (``rule_coder.v1``)."""

    codebook: Codebook
    name: str = "rule_coder.v1"

    def __post_init__(self) -> None:
        self.code_ids = self.codebook.code_ids
        self.rules = RuleCoder(self.codebook)

    def code(self, sentences: Sequence[str]) -> CodingResult:
        scores, evidence = self.rules.score(sentences)
        return CodingResult(self.code_ids, scores, scores > 0, evidence)


CoderFactory = Callable[..., object]


def _learned_coder(codebook: Codebook, **options: object) -> object:
    from lived_experience.coding.learned import LearnedCoder  # needs scikit-learn

    return LearnedCoder(codebook, **options)  # type: ignore[arg-type]


def _codebook_coder(codebook: Codebook, **options: object) -> object:
    from lived_experience.coding.codebook_classifier import CodebookClassifierCoder

    return CodebookClassifierCoder(codebook, **options)  # type: ignore[arg-type]


def _fewshot_coder(codebook: Codebook, **options: object) -> object:
    from lived_experience.coding.fewshot import FewShotCoder  # needs scikit-learn

    return FewShotCoder(codebook, **options)  # type: ignore[arg-type]


def _fewshot_coder_v6(codebook: Codebook, **options: object) -> object:
    from lived_experience.coding.finetune import FineTuning

    options = {"fine_tuning": FineTuning(), **options}
    return _fewshot_coder(
        codebook, level="both", final_model="fold_mean", name="fewshot_coder.v6", **options
    )


CODERS: Registry[CoderFactory] = Registry(
    "coder",
    entry_point_group="lived_experience.coders",
    aliases={
        "rule": "rule_coder.v1",
        "embedding": "embedding_coder.v2",
        "hybrid": "hybrid_coder.v3",
        "learned": "learned_coder.v1",
        "fewshot": "fewshot_coder.v6",
    },
)
CODERS.register("rule_coder.v1", RuleOnlyCoder)
# v1: the round-1 coders, which code every sentence; v2 abstains on sentences that only
# describe the respondent (role, band, shift, place) or say nothing the codebook covers
CODERS.register(
    "embedding_coder.v1",
    functools.partial(EmbeddingCoder, abstain=False, name="embedding_coder.v1"),
)
CODERS.register("embedding_coder.v2", EmbeddingCoder)
CODERS.register(
    "hybrid_coder.v1",
    functools.partial(HybridCoder, abstain=False, scorer="similarity", name="hybrid_coder.v1"),
)
CODERS.register(
    "hybrid_coder.v2",
    functools.partial(HybridCoder, scorer="similarity", name="hybrid_coder.v2"),
)
# v3: the non-rule side is classifiers trained on the codebook's own definitions and examples
# instead of the nearest one by cosine similarity (codebook_coder.v1 alone)
CODERS.register("codebook_coder.v1", _codebook_coder)
CODERS.register("hybrid_coder.v3", HybridCoder)
CODERS.register("learned_coder.v1", _learned_coder)
# v1 scores each sentence and keeps its highest score per answer; v2 scores whole answers, as
# they were hand-coded, and shows each code on the sentence that scores highest for it
CODERS.register(
    "fewshot_coder.v1",
    functools.partial(
        _fewshot_coder, level="sentence", classifier="logistic", c=4.0, name="fewshot_coder.v1"
    ),
)
CODERS.register("fewshot_coder.v2", _fewshot_coder)
# v3: the hand-coded sample's own cross-validation chooses between
# judging whole answers (v2) and sentences
CODERS.register(
    "fewshot_coder.v3", functools.partial(_fewshot_coder, level="auto", name="fewshot_coder.v3")
)
# v4: both levels fitted, every answer judged by the mean of their scores
CODERS.register(
    "fewshot_coder.v4", functools.partial(_fewshot_coder, level="both", name="fewshot_coder.v4")
)
# v5 (the --train default): as v4, but the inner cross-validation's models are the final model
# (the mean of their scores) instead of a refit on the whole sample, and both levels share them
CODERS.register(
    "fewshot_coder.v5",
    functools.partial(
        _fewshot_coder, level="both", final_model="fold_mean", name="fewshot_coder.v5"
    ),
)
# v6 (the --train default): v5 reading answers with a copy of the sentence model fine-tuned on
# the hand-coded sample first; its expected agreement from a nested cross-validation
CODERS.register("fewshot_coder.v6", _fewshot_coder_v6)


def register_coder(name: str, factory: CoderFactory) -> None:
    """Add a coder under a versioned name such as ``"my_coder.v1"``.

    Its ``code(sentences)`` must judge each sentence on its own (the same sentence, the same
    result in any batch): ``code_frame`` passes each distinct sentence once."""
    CODERS.register(name, factory)


def build_coder(name: str, codebook: Codebook, **options: object) -> object:
    """Build a registered coder by name (``hybrid``, ``rule``, ``embedding`` or versioned)."""
    key = CODERS.resolve(name)
    factory = CODERS.get(name)
    if key == "rule_coder.v1":
        options = {}
    if key == "learned_coder.v1" or key.startswith("fewshot_coder."):
        options.pop("thresholds", None)
    return factory(codebook, **options)
