"""What every command module shares: the consoles, clean errors, a progress bar."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from lived_experience.errors import SecretFileError

#: messages, progress and errors (stderr); results (stdout)
console = Console(stderr=True)
out = Console()
F = TypeVar("F", bound=Callable[..., Any])


def clean_errors(func: F) -> F:
    """Guard the paths, turn library errors into one clean line and exit code 2 (3 for the
    environment; no traceback, no data): see :func:`lived_experience.cli.guard.call_command`."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from lived_experience.cli.guard import call_command

        return call_command(
            func,
            args,
            kwargs,
            lambda message: console.print(
                f"[bold red]error:[/] {escape(message)}", markup=True, highlight=False
            ),
        )

    return wrapper  # type: ignore[return-value]


def progress_bar(label: str = "[bold]{task.description}", time_left: bool = False) -> Progress:
    """A transient progress bar on stderr (rows done of total, elapsed, and time left)."""
    columns = [TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    if time_left:
        columns += [TextColumn("left"), TimeRemainingColumn()]
    return Progress(*columns, console=console, transient=True)


def passphrase() -> str:
    """The re-identification key's passphrase: from the environment, else a prompt."""
    from lived_experience.anonymise.reid_key import PASSPHRASE_ENV

    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    if not sys.stdin.isatty():
        raise SecretFileError(
            f"--key needs a passphrase. Fix: set {PASSPHRASE_ENV} or run the command in a "
            "terminal to be asked for one."
        )
    return str(
        typer.prompt(
            "Passphrase for the re-identification key", hide_input=True, confirmation_prompt=True
        )
    )
