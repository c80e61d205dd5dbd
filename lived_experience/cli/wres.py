"""``wres``: parse, call :func:`lived_experience.wres.run`, print."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lived_experience.cli.common import clean_errors, out


@clean_errors
def wres(
    returns: Annotated[
        Path, typer.Argument(help="returns.csv: one row per organisation and year.")
    ],
    output: Annotated[Path, typer.Option(help="Indicators table to write (.csv or .xlsx).")],
    bands: Annotated[Path | None, typer.Option(help="bands.csv for indicator 1.")] = None,
    survey: Annotated[
        Path | None,
        typer.Option(help="staff_survey.csv for indicators 5-8 (year = the year the survey ran)."),
    ] = None,
    confidence: Annotated[float, typer.Option(help="Confidence level of the intervals.")] = 0.95,
) -> None:
    """The nine WRES indicators with intervals and flags (docs/wres.md)."""
    from lived_experience import wres as stage
    from lived_experience.output import write_table

    table = stage.run(returns, bands, survey, confidence=confidence)
    write_table(table, output)
    flagged = table["flag"].str.contains("above_1.25").sum()
    out.print(
        f"{len(table)} indicator rows for {table['org_code'].nunique()} organisations "
        f"and {table['year'].nunique()} years written to {output}; {flagged} relative "
        "likelihoods at or above 1.25"
    )
