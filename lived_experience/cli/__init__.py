"""The ``lived-experience`` command line: parse options, call the library, report errors."""

from lived_experience.cli.main import app, main

__all__ = ["app", "main"]
