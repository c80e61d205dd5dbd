"""lived_experience: qualitative research on the lived experience of ethnic minority NHS staff.

The package is a library first: every stage takes a pandas DataFrame and returns a new one.
The ``lived-experience`` command line and the notebooks are thin layers over it.
"""

from lived_experience.errors import LivedExperienceError

__version__ = "0.1.0"

__all__ = ["LivedExperienceError", "__version__"]
