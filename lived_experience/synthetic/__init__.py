"""Synthetic study data: a staff survey export, interview transcripts and gold annotations.

Everything here is invented. The generator is seeded, so regenerating gives byte-identical
files (``lived-experience generate-synthetic``). Only synthetic data is ever committed.
"""

from lived_experience.synthetic.generate import SyntheticStudy, generate_study, write_study

__all__ = ["SyntheticStudy", "generate_study", "write_study"]
