"""Apply a codebook to thousands of segments, with evidence, and measure agreement.

>>> from lived_experience.coding import build_coder, code_frame, agreement
"""

from lived_experience.coding.agreement import agreement
from lived_experience.coding.apply import CodedFrame, code_frame, sentences_of
from lived_experience.coding.calibrate import calibrate_thresholds
from lived_experience.coding.coders import (
    CODERS,
    CodingResult,
    EmbeddingCoder,
    HybridCoder,
    RuleOnlyCoder,
    build_coder,
    register_coder,
)
from lived_experience.coding.crosstabs import minority_white_ratio, prevalence_by_group
from lived_experience.coding.embeddings import Embedder
from lived_experience.coding.learned import LearnedCoder

register_coder("learned_coder.v1", LearnedCoder)

from lived_experience.coding.refi_qda import read_qdpx_cases, read_qdpx_codings  # noqa: E402

__all__ = [
    "CODERS",
    "CodedFrame",
    "CodingResult",
    "Embedder",
    "EmbeddingCoder",
    "HybridCoder",
    "LearnedCoder",
    "RuleOnlyCoder",
    "agreement",
    "build_coder",
    "calibrate_thresholds",
    "code_frame",
    "minority_white_ratio",
    "prevalence_by_group",
    "read_qdpx_cases",
    "read_qdpx_codings",
    "register_coder",
    "sentences_of",
]
