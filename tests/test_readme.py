"""Every shell example in the README runs: none can rot.

Each ```bash block is split into commands. For every command:

* ``make TARGET``: the target exists in the Makefile (running it would build a venv; the
  targets themselves are what CI runs).
* ``source ...``: skipped (activating the environment is not a command of this toolkit).
* ``lived-experience ...``: parsed by the real command line (a wrong or missing option fails
  here, as the old ``crosstab`` example did), and every input file it names must be in the
  repository or written by an earlier README command.
* The quick start ("anonymise one file") is executed end to end in a temporary folder.
  The other commands run over the whole synthetic study (minutes each) and are executed only
  with ``LIVED_EXPERIENCE_README_FULL=1`` (in README order, in a temporary copy of the
  inputs); their behaviour is tested by the stage tests and tests/test_demo.py.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from lived_experience.cli.main import app

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
FULL = os.environ.get("LIVED_EXPERIENCE_README_FULL") == "1"
#: options whose value is a file or folder the command writes (not an input to check)
OUTPUT_OPTIONS = {
    "--output",
    "--output-dir",
    "--review",
    "--entities",
    "--markdown",
    "--csv",
    "--mix",
    "--segments",
    "--qdpx",
    "--key",
}
QUICK_START = "## Quick start: anonymise one file"


def readme_commands() -> list[tuple[str, list[str]]]:
    """(section heading, argv) of every command in a ```bash block, in README order."""
    text = README.read_text(encoding="utf-8")
    commands = []
    heading = ""
    in_block = False
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("#") and not in_block:
            heading = line.strip()
        if line.strip() == "```bash":
            in_block, lines = True, []
            continue
        if in_block and line.strip() == "```":
            in_block = False
            joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
            for command in joined.splitlines():
                command = command.split(" #", 1)[0].strip()
                if command and not command.startswith("#"):
                    commands.append((heading, shlex.split(command)))
            continue
        if in_block:
            lines.append(line)
    return commands


COMMANDS = readme_commands()


def _make_targets() -> set[str]:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*):", text, flags=re.MULTILINE))


def _parse(argv: list[str]) -> Any:
    group = typer.main.get_command(app)
    with group.make_context("lived-experience", list(argv[1:]), resilient_parsing=True) as ctx:
        name, command, rest = group.resolve_command(ctx, list(argv[1:]))
        assert command is not None, f"no command {name!r}"
        return command.make_context(name or "", rest, parent=ctx)


def _paths(argv: list[str]) -> tuple[list[str], list[str]]:
    """(inputs, outputs) named by a lived-experience command line."""
    inputs, outputs = [], []
    previous = ""
    for arg in argv[2:]:
        if arg.startswith("--"):
            previous = arg
            continue
        looks_like_path = "/" in arg or Path(arg).suffix in {".csv", ".yaml", ".jsonl", ".xlsx"}
        if looks_like_path:
            (outputs if previous in OUTPUT_OPTIONS else inputs).append(arg)
        previous = ""
    return inputs, outputs


def test_readme_has_examples_and_the_two_commands_come_first() -> None:
    assert COMMANDS[0][1] == ["make", "demo"] and COMMANDS[1][1] == ["make", "test"]
    assert any(heading == QUICK_START for heading, _ in COMMANDS)


@pytest.mark.parametrize(
    ("heading", "argv"),
    COMMANDS,
    ids=[" ".join(a[:2]) + f"#{i}" for i, (_, a) in enumerate(COMMANDS)],
)
def test_readme_command_is_valid(heading: str, argv: list[str]) -> None:
    if argv[0] == "make":
        assert set(argv[1:]) <= _make_targets(), f"no such make target: {argv}"
        return
    if argv[0] == "source":
        pytest.skip("activating the virtual environment is not a toolkit command")
    assert argv[0] == "lived-experience", f"unexpected program in the README: {argv[0]}"
    _parse(argv)  # raises click's UsageError on a wrong or missing option
    written: set[str] = set()
    for _, earlier in COMMANDS[: COMMANDS.index((heading, argv))]:
        if earlier[0] == "lived-experience":
            written.update(_paths(earlier)[1])
    for name in _paths(argv)[0]:
        produced = name in written or any(name.startswith(f"{w.rstrip('/')}/") for w in written)
        demo_output = name.startswith("out/demo/")  # what `make demo` writes
        assert (REPO / name).exists() or produced or demo_output, (
            f"README example reads {name}, which is neither in the repository nor written by "
            "an earlier example"
        )


def _run(argv: list[str], folder: Path) -> str:
    result = CliRunner().invoke(app, argv[1:], catch_exceptions=False)
    assert result.exit_code == 0, f"{' '.join(argv[:2])} failed:\n{result.output[-2000:]}"
    return str(result.output)


@pytest.mark.slow
def test_quick_start_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    quick = [argv for heading, argv in COMMANDS if heading == QUICK_START]
    assert quick
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LIVED_EXPERIENCE_SECRET_FILE", str(tmp_path / "secret.key"))
    for argv in quick:
        output = _run(argv, tmp_path)
        for name in _paths(argv)[1]:
            assert (tmp_path / name).exists(), name
    assert "Next: open the review page" in output
    log = tmp_path / "out" / "quickstart" / "survey_anonymised.run_log.json"
    assert log.exists() and "NSS-" not in log.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.skipif(not FULL, reason="set LIVED_EXPERIENCE_README_FULL=1 to run every example")
def test_every_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for folder in ("examples", "data", "codebooks"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LIVED_EXPERIENCE_SECRET_FILE", str(tmp_path / "secret.key"))
    for _, argv in COMMANDS:
        if argv[0] == "lived-experience":
            _run(argv, tmp_path)


def test_the_checks_catch_a_broken_example() -> None:
    with pytest.raises(Exception, match="codebook") as error:  # click's MissingParameter
        _parse(["lived-experience", "crosstab", "CODED.csv", "--by", "ethnic_group"])
    assert type(error.value).__name__ == "MissingParameter"
    assert _paths(["lived-experience", "agreement", "out/coded.csv", "human.csv"])[0] == [
        "out/coded.csv",
        "human.csv",
    ]
