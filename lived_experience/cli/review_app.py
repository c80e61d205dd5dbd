"""``lived-experience app``: start the local review web page."""

from __future__ import annotations

import logging
import sys
import threading
import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from lived_experience.cli.common import clean_errors, console, out

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@clean_errors
def app_command(
    workspace: Annotated[
        Path | None,
        typer.Option(help="Folder for uploads and results (default ~/.local/share/...)."),
    ] = None,
    port: Annotated[int, typer.Option(help="Port on this computer.")] = 8765,
    host: Annotated[
        str, typer.Option(help="Interface to listen on; keep 127.0.0.1 (this computer only).")
    ] = "127.0.0.1",
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser.")
    ] = False,
    secret_file: Annotated[
        Path | None, typer.Option(help="Pseudonym secret (default: the project secret).")
    ] = None,
    spacy_model: Annotated[
        str | None, typer.Option(help="spaCy package or folder (default en_core_web_md).")
    ] = None,
    max_upload_mb: Annotated[int, typer.Option(help="Largest upload accepted, in MB.")] = 100,
) -> None:
    """Review anonymisation in a local web page: upload, check every detection, export."""
    try:
        import uvicorn
    except ImportError:
        console.print(
            "[bold red]error:[/] the review app needs its extra. Fix: pip install "
            "'lived_experience[app]'"
        )
        raise typer.Exit(code=2) from None
    from lived_experience.anonymise import Anonymiser, AnonymiserSettings
    from lived_experience.anonymise.pseudonyms import load_or_create_secret
    from lived_experience.app import AppConfig, LivedExperienceApp
    from lived_experience.app.workspace import default_workspace

    secret = load_or_create_secret(secret_file)
    settings = AnonymiserSettings(spacy_model=spacy_model)
    hosts = ("127.0.0.1", "localhost") if host in LOOPBACK else ("127.0.0.1", "localhost", host)
    config = AppConfig(
        workspace=workspace or default_workspace(),
        anonymiser_factory=lambda: Anonymiser(settings, secret=secret),
        max_upload=max_upload_mb * 1024 * 1024,
        hosts=hosts,
    )
    if host not in LOOPBACK:
        console.print(
            "[bold red on white] WARNING [/] [bold red]listening on "
            f"{host}: other computers on the network can reach this page, which shows "
            "original identifiers. Use --host 127.0.0.1 unless you are sure.[/]"
        )
    review = LivedExperienceApp(config)
    shown = "127.0.0.1" if host in {"127.0.0.1", "0.0.0.0"} else host
    url = f"http://{shown}:{port}/?token={config.token}"
    out.print(f"review app: {url}\nworkspace: {config.workspace}\nstop with Ctrl+C")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s", stream=sys.stderr)
    threading.Thread(target=review.warm_up, name="le-warm-up", daemon=True).start()
    if not no_browser:
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    uvicorn.run(review.asgi, host=host, port=port, access_log=False, log_level="warning")
