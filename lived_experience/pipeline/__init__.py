"""One command for a whole study: config, stages, run manifest.

>>> from lived_experience.pipeline import STAGES
>>> [stage.name for stage in STAGES]
['ingest', 'anonymise', 'code', 'topics', 'wres', 'quotes', 'report']
"""

from lived_experience.pipeline.config import StudyConfig, load_study
from lived_experience.pipeline.manifest import Manifest, file_digest, fingerprint
from lived_experience.pipeline.run import RunResult, run_study, stages_for
from lived_experience.pipeline.stages import STAGES, Stage, StageContext

__all__ = [
    "STAGES",
    "Manifest",
    "RunResult",
    "Stage",
    "StageContext",
    "StudyConfig",
    "file_digest",
    "fingerprint",
    "load_study",
    "run_study",
    "stages_for",
]
