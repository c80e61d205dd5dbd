"""Every command, given bad input, exits 2 with one numbered LE error and no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from lived_experience.cli import app

#: a file of bytes that are neither UTF-8 nor Windows-1252 text
NOT_TEXT = bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 20


COMMANDS = (
    "generate-synthetic",
    "ingest",
    "anonymise",
    "evaluate-anonymiser",
    "disclosure-check",
    "code",
    "crosstab",
    "quotes",
    "export-codebook",
    "import-codebook",
    "agreement",
    "wres",
    "topics",
    "run",
    "demo",
    "coding-sample",
)
#: long-running servers: their bad inputs are tested through the server (tests/app)
SERVERS = frozenset({"app"})


def _bad_inputs(tmp: Path) -> dict[str, list[str]]:
    garbled = tmp / "garbled.csv"
    garbled.write_bytes(b"id,text\n" + NOT_TEXT + b"\n")
    missing = str(tmp / "missing.csv")
    not_yaml = tmp / "study.yaml"
    not_yaml.write_text("name: [unclosed\n", encoding="utf-8")
    a_file = tmp / "a_file"
    a_file.write_text("not a folder", encoding="utf-8")
    book = str(Path("codebooks/wres_lived_experience.yaml").resolve())
    out = str(tmp / "out.csv")
    return {
        "generate-synthetic": ["--output-dir", str(a_file / "inside")],
        "ingest": [str(garbled), "--output", out, "--id-column", "id", "--text-column", "text"],
        "anonymise": [str(garbled), "--output", out, "--text-column", "text"],
        "evaluate-anonymiser": [missing],
        "disclosure-check": [str(garbled), "--quasi-identifier", "band"],
        "code": [
            str(garbled),
            "--codebook",
            book,
            "--output",
            out,
            "--text-column",
            "text",
            "--id-column",
            "id",
        ],
        "crosstab": [missing, "--by", "band", "--codebook", book, "--output", out],
        "quotes": [missing, "--codebook", book, "--output", str(tmp / "q.docx")],
        "export-codebook": [missing, "--output", str(tmp / "c.qdc")],
        "import-codebook": [missing, "--output", str(tmp / "c.yaml")],
        "agreement": [missing, missing],
        "wres": [str(garbled), "--output", out],
        "topics": [
            str(garbled),
            "--output-dir",
            str(tmp / "topics"),
            "--text-column",
            "text",
            "--id-column",
            "id",
        ],
        "run": [str(not_yaml)],
        "demo": ["--output-dir", str(tmp / "demo"), "--codebook", missing],
        "coding-sample": [
            str(garbled),
            "--codebook",
            book,
            "--output",
            str(tmp / "sheet.xlsx"),
            "--text-column",
            "text",
            "--id-column",
            "id",
        ],
    }


def test_the_table_covers_every_command(tmp_path: Path) -> None:
    commands = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert commands - SERVERS == set(COMMANDS) == set(_bad_inputs(tmp_path))


@pytest.mark.parametrize("command", COMMANDS)
def test_bad_input_exits_2_without_a_traceback(command: str, tmp_path: Path) -> None:
    args = _bad_inputs(tmp_path)[command]
    result = CliRunner().invoke(app, [command, *args])
    output = result.output
    assert result.exit_code == 2, output
    assert "Traceback" not in output
    assert "[LE0" in output and "Fix" in output
