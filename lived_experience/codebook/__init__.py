"""Codebooks as data: YAML files validated into typed objects.

>>> from lived_experience.codebook import load_codebook
>>> book = load_codebook("codebooks/wres_lived_experience.yaml")
>>> book.code("bullying_from_staff").wres_indicators
[6]
"""

from lived_experience.codebook.model import Code, Codebook, Theme, load_codebook

__all__ = ["Code", "Codebook", "Theme", "load_codebook"]
