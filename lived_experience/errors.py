"""Errors raised by lived_experience.

Every error says what was wrong, what was expected and how to fix it, citing the file, row id
and column — never the respondent's text. Each has a stable code (``LE0xx``) so that users can
search for it in the documentation.
"""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


class LivedExperienceError(Exception):
    """Base class of every error the toolkit raises on purpose.

    The command line turns these into a one-line message and exit code 2 (3 for
    :class:`EnvironmentFaultError`).
    """

    code = "LE000"
    #: exit status of the command line: 2 for bad input or settings
    exit_code = 2

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


def validated(model: type[T], where: str = "settings", /, **values: Any) -> T:
    """Build a settings model, turning pydantic's ``ValidationError`` into a :class:`ConfigError`.

    The message names each field and what was wrong (never a respondent's text), so the
    command line shows one clean line instead of a traceback.

    >>> from lived_experience.quotes.stage import QuoteSettings
    >>> try:
    ...     validated(QuoteSettings, "quotes", per_code=0)
    ... except ConfigError as error:
    ...     print(str(error)[:47])
    [LE004] quotes: per_code: Input should be great
    """
    from pydantic import ValidationError

    try:
        return model(**values)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg']}" for e in error.errors()
        )
        raise ConfigError(f"{where}: {problems}. Fix: correct that setting (see --help).") from None


class OutputError(LivedExperienceError):
    """An output path cannot be used: it is an input, a folder, or a sensitive file would
    land beside shareable outputs."""

    code = "LE040"


class OutputLockedError(LivedExperienceError):
    """Another run is writing the same output right now."""

    code = "LE041"


class InputLimitError(LivedExperienceError):
    """An input is larger than the configured limits (a cell, a file, an archive)."""

    code = "LE042"


class EnvironmentFaultError(LivedExperienceError):
    """The machine, not the data, is at fault: permission denied, disk full, read-only folder.

    The command line exits with code 3 for these, so scripts can tell them from bad input.
    """

    code = "LE050"
    exit_code = 3


class LabelsFileError(LivedExperienceError):
    """A hand-coded labels file (CSV or coding sheet) cannot be used as it is.

    The message names the file, sheet and cell (or row and column), never the answer's text.
    """

    code = "LE010"
