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
from lived_experience.coding.fewshot import FewShotCoder
from lived_experience.coding.labels import label_sets, read_label_sets, read_labels
from lived_experience.coding.learned import LearnedCoder
from lived_experience.coding.refi_qda import read_qdpx_cases, read_qdpx_codings
from lived_experience.coding.stage import (
    CodingRun,
    CodingSettings,
    build_stage_coder,
    run,
    write_settings_record,
)

__all__ = [
    "CODERS",
    "CodedFrame",
    "CodingResult",
    "CodingRun",
    "CodingSettings",
    "Embedder",
    "EmbeddingCoder",
    "FewShotCoder",
    "HybridCoder",
    "LearnedCoder",
    "RuleOnlyCoder",
    "agreement",
    "build_coder",
    "build_stage_coder",
    "calibrate_thresholds",
    "code_frame",
    "minority_white_ratio",
    "prevalence_by_group",
    "label_sets",
    "read_label_sets",
    "read_labels",
    "read_qdpx_cases",
    "read_qdpx_codings",
    "register_coder",
    "run",
    "sentences_of",
    "write_settings_record",
]
