"""Random bad inputs and the check that every command handles them cleanly.

Used by the small deterministic suite in ``tests/robustness/test_fuzz.py`` and the longer
``bench/fuzz_fault.py``. A case is a mutation of a small valid survey (bytes flipped or cut,
quotes, CR and NUL inserted, other encodings, repeated or blank header names, long cells,
repeated ids, formula-like cells); each command either succeeds and keeps every row the
reader finds in the input, in order, or exits 2/3 with one LE error line and no traceback.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lived_experience.errors import LivedExperienceError
from lived_experience.output import format_csv

ID, TEXT, GROUP = "respondent_id", "q_experience", "band"
#: The limit on one cell while fuzzing (small, so long-cell cases stay fast).
FUZZ_CELL_LIMIT = "3000"
CODEBOOK = Path(__file__).resolve().parents[2] / "codebooks" / "wres_lived_experience.yaml"
#: Values planted in the seed survey (ids, a name, words of the answers): none may appear in
#: what a command prints, whatever it does with the file.
SEED_VALUES = re.compile(r"\bR\d{4}\b|Ngozi|HYPERLINK|excluded|900123|na\u00efve|policies|replied")


@dataclass
class FuzzCounts:
    """What happened to the runs of a fuzz session (counts only, never data)."""

    inputs: int = 0
    runs: int = 0
    clean: int = 0
    succeeded: int = 0
    rows_lost: int = 0
    tracebacks: int = 0
    values_in_messages: int = 0
    not_clean: list[str] = field(default_factory=list)


def seed_survey(rows: int = 30) -> bytes:
    """A small valid survey (UTF-8 CSV) with commas, quotes, CR and formula-like cells."""
    rng = random.Random(0)
    texts = [
        'My manager, Ngozi, said "wait".',
        "Line one\rline two",
        '=HYPERLINK("x")',
        "Band 5 -> band 6 took years",
        "I felt excluded\r\nagain",
        "+44 7700 900123 was on the rota",
        "@team never replied",
        "Café culture; naïve policies",
    ]
    frame = pd.DataFrame(
        {
            ID: [f"R{i:04d}" for i in range(rows)],
            GROUP: [rng.choice(["5", "6", "7", "8a"]) for _ in range(rows)],
            TEXT: [texts[i % len(texts)] for i in range(rows)],
        }
    )
    return format_csv(frame, formula_escape=False).encode("utf-8")


def _insert(data: bytes, rng: random.Random, pieces: list[bytes], n: int) -> bytes:
    out = bytearray(data)
    for _ in range(n):
        position = rng.randrange(len(out) + 1)
        out[position:position] = rng.choice(pieces)
    return bytes(out)


def _header(data: bytes, new: bytes) -> bytes:
    return new + data[data.index(b"\n") :]


MUTATIONS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "valid": lambda d, r: d,
    "flip bytes": lambda d, r: bytes(
        (b ^ r.randrange(1, 256)) if r.random() < 0.01 else b for b in d
    ),
    "cut": lambda d, r: d[: r.randrange(len(d))],
    "insert quotes and line breaks": lambda d, r: _insert(
        d, r, [b'"', b"\r", b"\n", b",", b"\t"], r.randrange(1, 6)
    ),
    "insert NUL or invalid bytes": lambda d, r: _insert(d, r, [b"\x00", b"\xff", b"\x92"], 1),
    "UTF-16 with BOM": lambda d, r: d.decode().encode("utf-16"),
    "UTF-16 without BOM": lambda d, r: d.decode().encode("utf-16-le"),
    "UTF-32 with BOM": lambda d, r: d.decode().encode("utf-32"),
    "Windows-1252": lambda d, r: d.decode().encode("cp1252"),
    "repeated column": lambda d, r: _header(d, f"{ID},{GROUP},{GROUP}".encode()),
    "blank column": lambda d, r: _header(d, f"{ID},,{TEXT}".encode()),
    "long cell": lambda d, r: d + f"R9999,5,{'word ' * 1000}\n".encode(),
    "repeated id": lambda d, r: d + d[d.index(b"\n") + 1 :],
    "shuffled lines": lambda d, r: b"\n".join(r.sample(d.split(b"\n"), len(d.split(b"\n")))),
    "empty": lambda d, r: b"",
    "blank space": lambda d, r: b" \n\r\n\t",
}


def mutated_survey(base: bytes, rng: random.Random, folder: Path) -> tuple[Path, str]:
    """Write one random mutation of ``base`` into ``folder``; return its path and kind."""
    kind = rng.choice(sorted(MUTATIONS))
    path = folder / "survey.csv"
    path.write_bytes(MUTATIONS[kind](base, rng))
    return path, kind


ANONYMISE = f"""
import sys
from lived_experience.anonymise import Anonymiser, AnonymiserSettings
from lived_experience.anonymise.files import anonymise_file
from lived_experience.errors import LivedExperienceError
try:
    anonymise_file(sys.argv[1], sys.argv[2], [{TEXT!r}], {ID!r},
                   Anonymiser(AnonymiserSettings(use_ner=False), secret=b"s" * 32),
                   entities_path=sys.argv[3])
except LivedExperienceError as exc:
    print("error:", exc, file=sys.stderr)
    sys.exit(exc.exit_code)
"""


def _commands(path: Path, folder: Path) -> dict[str, list[str]]:
    return {
        "ingest": [
            "ingest",
            str(path),
            "--id-column",
            ID,
            "--text-column",
            TEXT,
            "--output",
            str(folder / "segments.csv"),
        ],
        "disclosure-check": [
            "disclosure-check",
            str(path),
            "--quasi-identifier",
            GROUP,
            "--output",
            str(folder / "disclosure.csv"),
        ],
        "code": [
            "code",
            str(path),
            "--id-column",
            ID,
            "--text-column",
            TEXT,
            "--codebook",
            str(CODEBOOK),
            "--coder",
            "rule",
            "--output",
            str(folder / "coded.csv"),
        ],
    }


def _run_cli(args: list[str], in_process: bool) -> tuple[int, str]:
    if in_process:
        from typer.testing import CliRunner

        from lived_experience.cli import app

        result = CliRunner().invoke(app, args)
        text = result.output
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            text += "\nTraceback (in-process exception)"
        return result.exit_code, text
    done = subprocess.run(
        [sys.executable, "-c", "from lived_experience.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    return done.returncode, done.stdout + done.stderr


def _expected_ids(path: Path) -> list[str] | None:
    from lived_experience.ingest import read_survey

    try:
        return read_survey(path, id_column=ID, text_columns=[TEXT])[ID].tolist()
    except LivedExperienceError:
        return None


def _output_ids(command: str, folder: Path) -> list[str]:
    from lived_experience.ingest import read_table

    if command == "ingest":
        return read_table(folder / "segments.csv")["document_id"].tolist()
    name = {"code": "coded.csv", "anonymise": "anon.csv", "disclosure-check": "disclosure.csv"}
    return read_table(folder / name[command])[ID].tolist()


def run_fuzz_case(
    path: Path, folder: Path, counts: FuzzCounts, kind: str = "", in_process: bool = True
) -> dict[str, object]:
    """Run every command on ``path``, add what happened to ``counts`` and return the case's
    record (mutation kind and, per command, exit code and findings: counts, never data)."""
    before = os.environ.get("LIVED_EXPERIENCE_MAX_CELL_CHARS")
    os.environ["LIVED_EXPERIENCE_MAX_CELL_CHARS"] = FUZZ_CELL_LIMIT
    try:
        return _run_case(path, folder, counts, kind, in_process)
    finally:
        if before is None:
            os.environ.pop("LIVED_EXPERIENCE_MAX_CELL_CHARS", None)
        else:
            os.environ["LIVED_EXPERIENCE_MAX_CELL_CHARS"] = before


def _anonymise_subprocess(path: Path, folder: Path) -> tuple[int, str]:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            ANONYMISE,
            str(path),
            str(folder / "anon.csv"),
            str(folder / "review" / "entities.csv"),
        ],
        capture_output=True,
        text=True,
    )
    return done.returncode, done.stdout + done.stderr


def _run_case(
    path: Path, folder: Path, counts: FuzzCounts, kind: str, in_process: bool
) -> dict[str, object]:
    counts.inputs += 1
    expected = _expected_ids(path)
    record: dict[str, object] = {"kind": kind}
    for command, args in [*_commands(path, folder).items(), ("anonymise", [])]:
        counts.runs += 1
        if command == "anonymise":
            code, text = (
                _anonymise_in_process(path, folder)
                if in_process
                else _anonymise_subprocess(path, folder)
            )
        else:
            code, text = _run_cli(args, in_process)
        found: dict[str, object] = {"exit": code}
        if "Traceback" in text:
            counts.tracebacks += 1
            found["traceback"] = True
        if SEED_VALUES.search(" ".join(text.split())):
            counts.values_in_messages += 1
            counts.not_clean.append(f"{kind}/{command}: a value in the message")
            found["value_in_message"] = True
        record[command] = found
        if code == 0:
            counts.succeeded += 1
            ids = _output_ids(command, folder)
            wanted = expected if command != "disclosure-check" else None
            if wanted is not None and ids != wanted:
                lost = abs(len(wanted) - len(ids)) or 1
                counts.rows_lost += lost
                counts.not_clean.append(f"{kind}/{command}: rows differ")
                found["rows_lost"] = lost
                continue
            clean = "value_in_message" not in found and "traceback" not in found
        else:
            clean = code in (2, 3) and "LE0" in text and "Traceback" not in text
            clean = clean and "value_in_message" not in found
            if not clean and "value_in_message" not in found:
                counts.not_clean.append(f"{kind}/{command}: exit {code}")
        counts.clean += clean
        found["clean"] = clean
    return record


_RULES: list[object] = []


def _anonymise_in_process(path: Path, folder: Path) -> tuple[int, str]:
    from lived_experience.anonymise import Anonymiser, AnonymiserSettings
    from lived_experience.anonymise.files import anonymise_file

    if not _RULES:
        _RULES.append(Anonymiser(AnonymiserSettings(use_ner=False), secret=b"s" * 32))
    try:
        anonymise_file(
            path,
            folder / "anon.csv",
            [TEXT],
            ID,
            _RULES[0],  # type: ignore[arg-type]
            entities_path=folder / "review" / "entities.csv",
        )
    except LivedExperienceError as exc:
        return exc.exit_code, str(exc)
    except Exception as exc:  # noqa: BLE001 - counted, never hidden
        return 1, f"Traceback: {type(exc).__name__}"
    return 0, ""
