"""``lived-experience``: a thin layer over the library.

Each command parses its options, calls the stage's library entry point, and turns a
``LivedExperienceError`` into a one-line message on stderr and exit code 2. No logic lives
here: the commands are in one module per stage under ``lived_experience/cli/``, each
registered below with one line.
"""

from __future__ import annotations

from typing import Annotated

import typer

from lived_experience import __version__
from lived_experience.cli import (
    anonymise,
    coding,
    coding_sample,
    data,
    quotes,
    review_app,
    study,
    topics,
    wres,
)
from lived_experience.cli.common import clean_errors, console, out

__all__ = ["app", "clean_errors", "console", "main", "out"]

app = typer.Typer(
    name="lived-experience",
    help="Anonymise, code and analyse what ethnic minority NHS staff say about their work. "
    "Stages: ingest -> anonymise -> code -> topics -> wres -> quotes; run does them all.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        out.print(f"lived-experience {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """lived_experience command line."""


# One line per command, in the order --help lists them.
app.command()(data.generate_synthetic)
app.command()(data.ingest)
app.command()(anonymise.anonymise)
app.command()(anonymise.evaluate_anonymiser)
app.command()(anonymise.disclosure_check)
app.command()(coding.code)
app.command()(coding.crosstab)
app.command()(quotes.quotes)
app.command()(coding.export_codebook)
app.command()(coding.import_codebook)
app.command()(coding.agreement)
app.command()(wres.wres)
app.command()(topics.topics)
app.command()(study.run)
app.command()(study.demo)
app.command("coding-sample")(coding_sample.coding_sample)
app.command("app")(review_app.app_command)


from lived_experience.cli import coding_sample as _coding_sample  # noqa: E402, F401


def main() -> None:
    """Entry point of the ``lived-experience`` console script."""
    app()
