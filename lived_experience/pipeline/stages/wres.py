"""Stage ``wres``: the WRES indicators, with the coded themes set beside them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lived_experience.output import write_table
from lived_experience.pipeline.config import StudyConfig
from lived_experience.pipeline.stage import CODED_SURVEY, Stage, StageContext


def inputs(config: StudyConfig, folder: Path) -> dict[str, Path | None]:
    wres = config.inputs.wres
    return {
        "returns": wres.returns if wres else None,
        "bands": wres.bands if wres else None,
        "staff_survey": wres.staff_survey if wres else None,
        "coded": folder / CODED_SURVEY if config.inputs.survey else None,
        "codebook": config.coding.codebook,
    }


def settings(config: StudyConfig) -> dict[str, Any]:
    return {"k": config.anonymise.k}


def run(ctx: StageContext) -> tuple[list[Path], dict[str, Any]]:
    from lived_experience import wres as stage
    from lived_experience.ingest import read_table
    from lived_experience.wres.charts import write_crossref_charts
    from lived_experience.wres.crossref import crossref

    wres = ctx.config.inputs.wres
    if wres is None:  # the stage is enabled only with WRES inputs
        return [], {}
    indicators = stage.run(wres.returns, wres.bands, wres.staff_survey)
    written = [ctx.path("shareable/wres/wres_indicators.csv")]
    write_table(indicators, written[0])
    summary: dict[str, Any] = {"indicator_rows": len(indicators)}
    if ctx.config.inputs.survey is not None:
        coded = read_table(ctx.path(CODED_SURVEY))
        table, correlations = crossref(
            coded, indicators, ctx.codebook().wres_links(), k=ctx.config.anonymise.k
        )
        write_table(table, ctx.path("shareable/wres/themes_by_wres.csv"))
        write_table(correlations, ctx.path("shareable/wres/themes_wres_correlations.csv"))
        written += [
            ctx.path("shareable/wres/themes_by_wres.csv"),
            ctx.path("shareable/wres/themes_wres_correlations.csv"),
        ]
        written += write_crossref_charts(
            table,
            correlations,
            ctx.path("shareable/wres/charts"),
            {c.id: c.label for c in ctx.codebook().codes},
        )
        summary["pairs"] = len(correlations)
    ctx.echo(
        f"    {len(indicators)} indicator rows; {summary.get('pairs', 0)} theme-indicator pairs"
    )
    return written, summary


STAGE = Stage(
    "wres",
    "wres.v1",
    "WRES indicators beside the themes",
    inputs,
    settings,
    run,
    outputs=("shareable/wres/",),
    enabled=lambda config: config.inputs.wres is not None,
)
