"""The checks every command runs on its paths before it does any work.

:func:`guard_paths` reads a command's parsed arguments: options named like outputs
(:data:`OUTPUT_OPTIONS`) are outputs, every other path is an input. Before the command runs,
no output may be an input or another output, an existing folder, or in a folder that cannot
be written; then every output is locked for the length of the command, so a second run
writing the same file stops at once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from lived_experience.errors import OutputError
from lived_experience.output_safety import check_output_path, output_locks

#: Option names that are files a command writes.
OUTPUT_OPTIONS = frozenset(
    {"output", "segments", "markdown", "csv", "mix", "qdpx", "key", "review", "entities", "leaks"}
)
#: Option names that are folders a command writes into.
OUTPUT_FOLDERS = frozenset({"output_dir"})
#: Paths that are neither read as data nor written by the command (created when missing).
NOT_INPUTS = frozenset({"secret_file"})


def _paths(arguments: Mapping[str, object]) -> tuple[list[Path], dict[str, Path]]:
    inputs: list[Path] = []
    outputs: dict[str, Path] = {}
    for name, value in arguments.items():
        if not isinstance(value, Path):
            continue
        if name in OUTPUT_OPTIONS:
            outputs[name] = value
        elif name not in OUTPUT_FOLDERS and name not in NOT_INPUTS:
            inputs.append(value)
    return inputs, outputs


@contextlib.contextmanager
def guard_paths(arguments: Mapping[str, object]) -> Iterator[None]:
    """Check a command's output paths against its inputs, then lock them while it runs."""
    inputs, outputs = _paths(arguments)
    for name, path in outputs.items():
        check_output_path(inputs, path, "--" + name.replace("_", "-"))
    resolved = [p.resolve() for p in outputs.values()]
    if len(set(resolved)) < len(resolved):
        raise OutputError(
            "two output options name the same file. Fix: give each output its own path."
        )
    for name in OUTPUT_FOLDERS & arguments.keys():
        folder = arguments[name]
        if isinstance(folder, Path) and folder.exists() and not folder.is_dir():
            raise OutputError(
                f"--{name.replace('_', '-')} '{folder}' is a file; a folder was expected. Fix: "
                "give a folder path."
            )
    with output_locks(outputs.values()):
        yield


#: Set to 1 to see the traceback of an unexpected error (it may quote data: never share it).
DEBUG_ENV = "LIVED_EXPERIENCE_DEBUG"
#: Exit code of an unexpected error (a bug): distinct from bad input (2) and the machine (3).
INTERNAL_ERROR_EXIT = 70


def call_command(
    func: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    report: Callable[[str], object],
) -> Any:
    """Run a command: paths guarded, library errors turned into one line and an exit code.

    ``LivedExperienceError`` -> its message, exit 2 (3 for environment faults); an operating
    system fault (permission, read-only, disk full) -> exit 3; anything else is a bug: one
    line naming the exception type (never its message, which may quote data), exit 70.
    """
    import errno
    import os

    import click
    import typer

    from lived_experience.errors import EnvironmentFaultError, LivedExperienceError

    try:
        with guard_paths(kwargs):
            return func(*args, **kwargs)
    except (typer.Exit, typer.Abort, click.exceptions.Exit, click.ClickException):
        raise
    except LivedExperienceError as exc:
        report(str(exc))
        raise typer.Exit(exc.exit_code) from None
    except OSError as exc:
        if os.environ.get(DEBUG_ENV) == "1":
            raise
        reason = os.strerror(exc.errno) if exc.errno else type(exc).__name__
        where = f" '{exc.filename}'" if exc.filename else ""
        fault = EnvironmentFaultError(
            f"the system refused an operation on{where or ' a file'}: {reason} "
            f"(errno {errno.errorcode.get(exc.errno or 0, '?')}). Fix: check permissions and "
            "free space, then run the command again."
        )
        report(str(fault))
        raise typer.Exit(fault.exit_code) from None
    except Exception as exc:
        if os.environ.get(DEBUG_ENV) == "1":
            raise
        report(
            f"[LE099] unexpected {type(exc).__name__}: this is a bug in lived_experience. Fix: "
            f"report it with the command you ran (not the data); run with {DEBUG_ENV}=1 to see "
            "the traceback, which may quote data."
        )
        raise typer.Exit(INTERNAL_ERROR_EXIT) from None
