"""Output safety: no input overwritten, one writer per output, every check before writing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from lived_experience.cli import app
from lived_experience.errors import EnvironmentFaultError, OutputError, OutputLockedError
from lived_experience.output_safety import (
    check_output_path,
    check_sensitive_path,
    environment_errors,
    output_lock,
    private_work_dir,
)
from tests.conftest import REPO

runner = CliRunner()
CODEBOOK = str(REPO / "codebooks" / "wres_lived_experience.yaml")


def _survey(folder: Path) -> Path:
    path = folder / "survey.csv"
    pd.DataFrame(
        {"id": ["1", "2"], "q": ["I was not promoted", "Fine"], "band": ["5", "6"]}
    ).to_csv(path, index=False)
    return path


def test_an_input_is_recognised_through_dots_symlinks_and_hard_links(tmp_path: Path) -> None:
    source = _survey(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.csv").symlink_to(source)
    os.link(source, tmp_path / "hard.csv")
    for alias in (
        tmp_path / "sub" / ".." / "survey.csv",
        tmp_path / "link.csv",
        tmp_path / "hard.csv",
    ):
        with pytest.raises(OutputError, match="is the input file"):
            check_output_path([source], alias)
    with pytest.raises(OutputError, match="existing folder"):
        check_output_path([source], tmp_path / "sub")


@pytest.mark.parametrize("command", ["ingest", "code"])
def test_commands_refuse_to_overwrite_their_input(tmp_path: Path, command: str) -> None:
    source = _survey(tmp_path)
    before = source.read_bytes()
    args = [command, str(source), "--id-column", "id", "--text-column", "q"]
    if command == "code":
        args += ["--codebook", CODEBOOK, "--coder", "rule"]
    for option in ("--output", "--segments") if command == "code" else ("--output",):
        extra = ["--output", str(tmp_path / "x.csv")] if option == "--segments" else []
        result = runner.invoke(app, [*args, *extra, option, str(tmp_path / "." / "survey.csv")])
        assert result.exit_code == 2, result.output
        assert "LE040" in result.output and "Traceback" not in result.output
        assert source.read_bytes() == before


def test_an_output_folder_is_refused_before_any_work(tmp_path: Path) -> None:
    source = _survey(tmp_path)
    (tmp_path / "out.csv").mkdir()
    result = runner.invoke(
        app,
        [
            "ingest",
            str(source),
            "--id-column",
            "id",
            "--text-column",
            "q",
            "--output",
            str(tmp_path / "out.csv"),
        ],
    )
    assert result.exit_code == 2 and "existing folder" in " ".join(result.output.split())
    assert not list(tmp_path.glob(".*"))


def test_a_second_writer_of_the_same_output_stops_at_once(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from lived_experience.output_safety import output_lock\n"
            f"with output_lock({str(out)!r}):\n    print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(OutputLockedError), output_lock(out):
            pass
        source = _survey(tmp_path)
        started = time.monotonic()
        result = runner.invoke(
            app,
            [
                "ingest",
                str(source),
                "--id-column",
                "id",
                "--text-column",
                "q",
                "--output",
                str(out),
            ],
        )
        assert result.exit_code == 2 and "LE041" in result.output
        assert time.monotonic() - started < 10 and not out.exists()
    finally:
        holder.kill()
        holder.wait()
    with output_lock(out):  # released when its holder died
        pass
    assert not (tmp_path / ".out.csv.lock").exists()


def test_nested_locks_in_one_process_share_the_lock(tmp_path: Path) -> None:
    with output_lock(tmp_path / "a.csv"), output_lock(tmp_path / "a.csv"):
        pass


def test_private_work_dir_is_0700_and_removed_on_failure(tmp_path: Path) -> None:
    from lived_experience.errors import InputFileError

    with pytest.raises(InputFileError), private_work_dir(tmp_path / "out.csv") as folder:
        assert folder.stat().st_mode & 0o777 == 0o700
        raise InputFileError("bad data")
    assert not folder.exists()


def test_sensitive_files_are_refused_in_shareable_places(tmp_path: Path) -> None:
    shareable = tmp_path / "shareable"
    with pytest.raises(OutputError, match="meant to be shared"):
        check_sensitive_path(shareable / "secret.key", "the secret", shareable=[shareable])
    with pytest.raises(OutputError, match="beside the shareable output"):
        check_sensitive_path(tmp_path / "e.csv", "entities", outputs=[tmp_path / "anon.csv"])
    check_sensitive_path(tmp_path / "review" / "e.csv", "entities", outputs=[tmp_path / "anon.csv"])


def test_permission_faults_become_environment_errors(tmp_path: Path) -> None:
    with (
        pytest.raises(EnvironmentFaultError, match="permission denied") as error,
        environment_errors(tmp_path / "x.csv"),
    ):
        raise PermissionError(13, "Permission denied")
    assert error.value.exit_code == 3


@pytest.mark.parametrize(
    ("extra", "env", "match"),
    [
        (["--quasi-identifier", "nope"], {}, "nope"),
        (
            ["--key", "KEYDIR/key.enc"],
            {"LIVED_EXPERIENCE_KEY_PASSPHRASE": "short"},
            "12 characters",
        ),
        (
            ["--key", "OUT/key.enc"],
            {"LIVED_EXPERIENCE_KEY_PASSPHRASE": "a long passphrase!"},
            "inside the output folder",
        ),
        (["--entities", "OUT/e.csv"], {}, "beside the shareable output"),
    ],
)
def test_anonymise_checks_everything_before_writing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    extra: list[str],
    env: dict[str, str],
    match: str,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    source = _survey(tmp_path)
    out = tmp_path / "out" / "anon.csv"
    extra = [
        e.replace("OUT", str(out.parent)).replace("KEYDIR", str(tmp_path / "keys")) for e in extra
    ]
    result = runner.invoke(
        app,
        [
            "anonymise",
            str(source),
            "--text-column",
            "q",
            "--id-column",
            "id",
            "--output",
            str(out),
            "--secret-file",
            str(tmp_path / "secret.key"),
            *extra,
        ],
    )
    assert result.exit_code == 2, result.output
    assert match in " ".join(result.output.split()) and "Traceback" not in result.output
    assert not out.parent.exists() or not any(out.parent.iterdir())


def test_a_study_secret_inside_shareable_is_refused(tmp_path: Path) -> None:
    from lived_experience.pipeline.config import StudyConfig
    from lived_experience.pipeline.preflight import check_study

    source = _survey(tmp_path)
    base = {
        "name": "x",
        "inputs": {"survey": {"path": str(source), "id_column": "id", "text_columns": ["q"]}},
        "coding": {"codebook": CODEBOOK},
        "output_dir": str(tmp_path / "out"),
    }
    check_study(StudyConfig.model_validate(base))
    bad_secret = {
        **base,
        "anonymise": {"secret_file": str(tmp_path / "out" / "shareable" / "s.key")},
    }
    with pytest.raises(OutputError, match="meant to be shared"):
        check_study(StudyConfig.model_validate(bad_secret))
    inputs = dict(base["inputs"])  # type: ignore[arg-type]
    unknown = {**base, "inputs": {"survey": {**inputs["survey"], "quasi_identifiers": ["nope"]}}}
    from lived_experience.errors import MissingColumnError

    with pytest.raises(MissingColumnError, match="nope"):
        check_study(StudyConfig.model_validate(unknown))
    assert not (tmp_path / "out").exists()
