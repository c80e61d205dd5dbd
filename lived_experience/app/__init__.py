"""A local review web page for anonymising a survey export.

``lived-experience app`` starts it: upload a CSV or XLSX, choose the columns, anonymise in
the background, review every detection (accept, reject, add what was missed by selecting
it), apply disclosure control and download the anonymised file, the decisions file (the
format ``lived-experience anonymise --decisions`` reads) and an information-governance
record. It binds to 127.0.0.1 and needs the token printed at launch.

>>> from lived_experience.app import AppConfig, LivedExperienceApp
"""

from lived_experience.app.server import AppConfig, LivedExperienceApp

__all__ = ["AppConfig", "LivedExperienceApp"]
