"""The report tests reuse the small study run once per session."""

from tests.pipeline.conftest import small_study  # noqa: F401
