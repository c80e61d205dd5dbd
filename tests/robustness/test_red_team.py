"""Every command against the red-team's bad-input families: exit 2, one line, no traceback,
no value from the data in the message, and no output file left behind."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lived_experience.cli import app
from tests.conftest import REPO

runner = CliRunner()
SECRET_NAME = "Zebedee Quintrell"
SECRET_ID = "zq.private@example.org"
CODEBOOK = str(REPO / "codebooks" / "wres_lived_experience.yaml")
GOOD = f"id,q,codes,band\n{SECRET_ID},{SECRET_NAME} was unfair,,5\n2,ok,,6\n"


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (8 * 1024**2))


#: family -> (file name, bytes or a writer)
SURVEY_FAMILIES: dict[str, tuple[str, object]] = {
    "repeated column name": ("s.csv", f"id,q,q,codes,band\n1,{SECRET_NAME},{SECRET_NAME},,5\n"),
    "blank column name": ("s.csv", f"id,,q,codes,band\n1,{SECRET_NAME},x,,5\n"),
    "UTF-16 without BOM": ("s.csv", GOOD.encode("utf-16-le")),
    "stray cp1252 byte": ("s.csv", ("id,q,codes,band\n1,Café,,5\n").encode() + b"2,\x92x,,6\n"),
    "cell over the limit": ("s.csv", f"id,q,codes,band\n1,{'x' * 300},,5\n"),
    "ragged rows": ("s.csv", f"id,q,codes,band\n1,{SECRET_NAME},,5,extra\n"),
    "empty file": ("s.csv", b""),
    "only blank space": ("s.csv", "\n\n  \n"),
    "header only": ("s.csv", "id,q,codes,band\n"),
    "duplicate id": ("s.csv", f"id,q,codes,band\n{SECRET_ID},a,,5\n{SECRET_ID},b,,6\n"),
    "blank id": ("s.csv", "id,q,codes,band\n ,a,,5\n"),
    "NUL bytes": ("s.csv", GOOD.encode() + b"\x00\x00"),
    "HTML saved as .xlsx": ("s.xlsx", f"<html><body>{SECRET_NAME}</body></html>"),
    "not a workbook": ("s.xlsx", b"PK\x03\x04garbage" + SECRET_NAME.encode()),
    "zip bomb": ("s.xlsx", _zip_bomb),
    "wrong extension": ("s.pdf", GOOD),
    "a folder": ("s.csv", "FOLDER"),
    "no header row": (
        "s.csv",
        f"R0001,{SECRET_NAME} was unfair,x,5\nR0002,ok,x,6\nR0003,fine,x,7\nR0004,meh,x,8\n",
    ),
    "header row after a response": (
        "s.csv",
        f"{SECRET_ID},{SECRET_NAME} was unfair,,5\nid,q,codes,band\n2,ok,,6\n",
    ),
}

SURVEY_COMMANDS: dict[str, list[str]] = {
    "ingest": ["ingest", "{input}", "--id-column", "id", "--text-column", "q", "--output", "{out}"],
    "anonymise": [
        "anonymise",
        "{input}",
        "--id-column",
        "id",
        "--text-column",
        "q",
        "--output",
        "{out}",
        "--secret-file",
        "{tmp}/secret.key",
    ],
    "code": [
        "code",
        "{input}",
        "--id-column",
        "id",
        "--text-column",
        "q",
        "--codebook",
        CODEBOOK,
        "--coder",
        "rule",
        "--output",
        "{out}",
    ],
    "disclosure-check": [
        "disclosure-check",
        "{input}",
        "--quasi-identifier",
        "band",
        "--output",
        "{out}",
    ],
    "crosstab": [
        "crosstab",
        "{input}",
        "--by",
        "band",
        "--codebook",
        CODEBOOK,
        "--output",
        "{out}",
    ],
    "agreement": ["agreement", "{input}", "{input}", "--output", "{out}"],
    "wres": ["wres", "{input}", "--output", "{out}"],
}


#: families that are no fault for a command (it has no id column)
NOT_BAD_FOR = {
    "crosstab": {"blank id", "duplicate id"},
    "disclosure-check": {"blank id", "duplicate id"},
}


def _materialise(tmp_path: Path, name: str, content: object) -> Path:
    path = tmp_path / name
    if content == "FOLDER":
        path.mkdir()
    elif callable(content):
        content(path)
    else:
        path.write_bytes(content if isinstance(content, bytes) else str(content).encode())
    return path


def _assert_clean(result, tmp_path: Path, out: Path) -> None:  # type: ignore[no-untyped-def]
    text = result.output
    assert result.exit_code in (2, 3), text
    assert "Traceback" not in text and "LE0" in text, text
    flat = " ".join(text.split())
    assert SECRET_NAME not in flat and SECRET_ID not in flat, text
    assert not out.exists(), "an output was written"
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith((".partial", ".lock", ".work"))]


@pytest.mark.parametrize("family", sorted(SURVEY_FAMILIES))
@pytest.mark.parametrize("command", sorted(SURVEY_COMMANDS))
def test_bad_survey_inputs_fail_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, family: str
) -> None:
    if family in NOT_BAD_FOR.get(command, set()):
        pytest.skip(f"{command} has no id column")
    monkeypatch.setenv("LIVED_EXPERIENCE_MAX_CELL_CHARS", "200")
    name, content = SURVEY_FAMILIES[family]
    path = _materialise(tmp_path, name, content)
    out = tmp_path / "out" / "result.csv"
    args = [
        a.replace("{input}", str(path)).replace("{out}", str(out)).replace("{tmp}", str(tmp_path))
        for a in SURVEY_COMMANDS[command]
    ]
    _assert_clean(runner.invoke(app, args), tmp_path, out)


RETURNS_HEADER = (
    "org_code,org_name,year,headcount_white,headcount_bme,headcount_unknown,shortlisted_white,"
    "shortlisted_bme,appointed_white,appointed_bme,disciplinary_white,disciplinary_bme,"
    "training_white,training_bme,board_voting_white,board_voting_bme,board_voting_unknown,"
    "board_exec_white,board_exec_bme,board_exec_unknown\n"
)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("inf", "not a whole number"),
        ("1e23", "not a whole number"),
        ("99999999999999999999999", "larger than"),
        ("-1", "negative"),
        ("", "missing"),
        ("NaN", "not a whole number"),
        ("12.5", "not a whole number"),
    ],
)
def test_wres_counts_that_are_not_counts_are_refused_with_the_right_reason(
    tmp_path: Path, value: str, reason: str
) -> None:
    counts = ["10"] * 17
    counts[0] = value
    path = tmp_path / "returns.csv"
    path.write_text(RETURNS_HEADER + "RX1,Trust,2024," + ",".join(counts) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["wres", str(path), "--output", str(out)])
    _assert_clean(result, tmp_path, out)
    assert reason in " ".join(result.output.split()) and "headcount_white" in result.output


@pytest.mark.parametrize("kind", ["codebook", "study"])
def test_yaml_with_a_stray_cp1252_byte_fails_cleanly(tmp_path: Path, kind: str) -> None:
    text = Path(CODEBOOK).read_bytes() if kind == "codebook" else b"name: Caf\xc3\xa9 study\n"
    path = tmp_path / f"{kind}.yaml"
    # mostly UTF-8 (a café), one Windows-1252 quote: refused, never decoded as cp1252
    path.write_bytes(text + "\n# café\n".encode() + b"# \x92 a Windows quote\n")
    out = tmp_path / "out.csv"
    survey = tmp_path / "s.csv"
    survey.write_text(GOOD, encoding="utf-8")
    args = (
        [
            "code",
            str(survey),
            "--id-column",
            "id",
            "--text-column",
            "q",
            "--codebook",
            str(path),
            "--coder",
            "rule",
            "--output",
            str(out),
        ]
        if kind == "codebook"
        else ["run", str(path)]
    )
    _assert_clean(runner.invoke(app, args), tmp_path, out)


def test_encodings_with_a_bom_are_read_by_the_commands(tmp_path: Path) -> None:
    for codec, bom in (("utf-16-le", codecs.BOM_UTF16_LE), ("utf-32-le", codecs.BOM_UTF32_LE)):
        path = tmp_path / f"{codec}.csv"
        path.write_bytes(bom + GOOD.encode(codec))
        out = tmp_path / f"{codec}.out.csv"
        result = runner.invoke(
            app,
            ["ingest", str(path), "--id-column", "id", "--text-column", "q", "--output", str(out)],
        )
        assert result.exit_code == 0, result.output
        assert SECRET_NAME in out.read_text(encoding="utf-8")
