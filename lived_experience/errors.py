"""Errors raised by lived_experience.

Every error says what was wrong, what was expected and how to fix it, citing the file, row id
and column — never the respondent's text. Each has a stable code (``LE0xx``) so that users can
search for it in the documentation.
"""

from __future__ import annotations


class LivedExperienceError(Exception):
    """Base class of every error the toolkit raises on purpose.

    The command line turns these into a one-line message and exit code 2.
    """

    code = "LE000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")


class InputFileError(LivedExperienceError):
    """An input file is missing, empty, undecodable or not what its extension says."""

    code = "LE001"


class MissingColumnError(LivedExperienceError):
    """A column the user named is not in the input."""

    code = "LE002"


class DuplicateIdError(LivedExperienceError):
    """An id column holds the same id twice, so rows could not be told apart."""

    code = "LE003"


class ConfigError(LivedExperienceError):
    """A setting is invalid: an unknown name, a bad value, an impossible combination."""

    code = "LE004"


class ModelNotAvailableError(LivedExperienceError):
    """A configured model cannot be loaded offline."""

    code = "LE005"


class SecretFileError(LivedExperienceError):
    """The pseudonym secret or the re-identification key cannot be read or written safely."""

    code = "LE006"


class DecisionsFileError(LivedExperienceError):
    """A reviewer's decisions file does not match the data it is applied to."""

    code = "LE007"


class NotFittedError(LivedExperienceError):
    """A stateful object was used before ``fit``."""

    code = "LE008"


class TopicModelError(LivedExperienceError):
    """A topic model cannot be fitted on this corpus, or was used before fitting."""

    code = "LE030"


class LabelsFileError(LivedExperienceError):
    """A hand-coded labels file (CSV or coding sheet) cannot be used as it is.

    The message names the file, sheet and cell (or row and column), never the answer's text.
    """

    code = "LE040"
