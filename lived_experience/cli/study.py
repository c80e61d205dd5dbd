"""``run`` and ``demo``: parse, call :func:`lived_experience.pipeline.run_study`, print."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lived_experience.cli.common import clean_errors, out, progress_bar


@clean_errors
def run(
    study: Annotated[Path, typer.Argument(metavar="STUDY.yaml", help="Study config (YAML).")],
    force: Annotated[
        list[str] | None,
        typer.Option(help="Run this stage even if unchanged; repeat, or 'all'."),
    ] = None,
) -> None:
    """Run a whole study: ingest, anonymise, code, topics, WRES, quotes, report.html.

    Stages whose inputs and settings are unchanged since the last run are skipped.
    """
    from lived_experience.pipeline import load_study, run_study, stages_for

    config = load_study(study)
    stages = stages_for(config)
    with progress_bar() as progress:
        task = progress.add_task("study", total=len(stages))

        def on_stage(number: int, total: int, name: str) -> None:
            progress.update(task, completed=number - 1, description=name)

        result = run_study(
            config, echo=progress.console.print, force=force or (), on_stage=on_stage
        )
        progress.update(task, completed=len(stages))
    out.print(
        f"[bold green]done[/]: ran {', '.join(result.ran) or 'nothing'}; skipped "
        f"{', '.join(result.skipped) or 'nothing'}.\nreport: {result.report}",
        soft_wrap=True,  # a wrapped path cannot be copied
    )
    from lived_experience.report.next_steps import closing_summary

    out.print(closing_summary(result.report.parent), soft_wrap=True)


@clean_errors
def demo(
    output_dir: Annotated[Path, typer.Option(help="Where to write the demo outputs.")] = Path(
        "out/demo"
    ),
    data_dir: Annotated[Path, typer.Option(help="The bundled synthetic study.")] = Path(
        "data/synthetic"
    ),
    codebook: Annotated[
        Path, typer.Option(help="Codebook linking codes to WRES indicators.")
    ] = Path("codebooks/wres_lived_experience.yaml"),
) -> None:
    """Run the whole study pipeline on the bundled synthetic study (as `run` does)."""
    from lived_experience.demo import run_demo

    result = run_demo(output_dir, data_dir, echo=out.print, codebook_path=codebook)
    out.print(f"\n[bold green]demo finished[/]. report: {result.report}")
