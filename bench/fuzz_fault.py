"""Fuzz and fault benchmark: random files through every command, kills, concurrent runs.

    PYTHONPATH=$PWD nice -n 10 python bench/fuzz_fault.py --minutes 12 --processes 4 \
        --kills 4 --kill-rows 1000 --concurrent 3 --docs

Every case is written as one JSON line to ``--jsonl`` (default ``out/fuzz_fault.jsonl``) as
soon as it is done, and the counts in docs/benchmarks.md (section "Robustness: fuzz and
faults") are computed from those lines, so a run cut short still gives honest numbers:
``--summarise`` rebuilds the table from the lines of an earlier run.

* **inputs tried / handled cleanly**: a random mutation of a small valid survey (bytes flipped,
  cut, quotes, CR, NUL, BOMs, encodings, repeated or blank header names, long cells) goes
  through ``ingest``, ``disclosure-check``, ``code --coder rule`` (the command line) and
  ``anonymise_file`` (rules only); for the first ``--processes`` inputs each command is a
  separate process, for the rest it runs in this process (CliRunner, as the tests do).
  Clean = exit 0 with every row back, or exit 2/3 with one LE error line, no traceback, and
  no value from the file in what the command printed.
* **rows lost**: for every run that exits 0, the output read back with the toolkit's reader
  must hold exactly the rows the reader finds in the input, in order, with the same ids.
* **values in messages**: any id, name or answer word of the seed survey in a command's output.
* **kills**: ``anonymise_file`` on a ``--kill-rows`` file is killed (SIGKILL) at a random moment
  within the time an uninterrupted run takes, and run again; the result must be
  byte-identical to the uninterrupted run, and what the killed run left must be a complete
  output or none, with its work files private (0600).
* **concurrent runs**: two ``anonymise_file`` runs to the same output start together; exactly
  one may write (the other exits 2 with LE041) and the output must hold every row.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.markdown_table import replace_section  # noqa: E402
from lived_experience.synthetic.fuzz import (  # noqa: E402
    FuzzCounts,
    mutated_survey,
    run_fuzz_case,
    seed_survey,
)

ANONYMISE = """
import sys
from lived_experience.anonymise import Anonymiser, AnonymiserSettings
from lived_experience.anonymise.files import anonymise_file
from lived_experience.errors import LivedExperienceError
a = Anonymiser(AnonymiserSettings(use_ner=False), secret=b"s" * 32)
try:
    anonymise_file(sys.argv[1], sys.argv[2], ["q_experience"], "respondent_id", a,
                   entities_path=sys.argv[3], chunk_size=200)
except LivedExperienceError as exc:
    print("error:", exc, file=sys.stderr)
    sys.exit(exc.exit_code)
"""
COMMANDS = ("ingest", "disclosure-check", "code", "anonymise")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": ""}


def _anonymise(source: Path, out: Path, entities: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", ANONYMISE, str(source), str(out), str(entities)],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _survey_rows(path: Path, rows: int) -> None:
    import pandas as pd

    from lived_experience.output import write_table

    frame = pd.read_csv(REPO / "data/synthetic/staff_survey.csv", dtype=str, keep_default_na=False)
    write_table(frame.head(rows), path)


def _left_after_kill(out: Path, entities: Path, reference: bytes) -> dict[str, object]:
    """What a killed run left: the output (none / complete / partial) and its work files."""
    works = [p.parent / f".{p.name}.work" for p in (out, entities)]
    modes = sorted(
        {oct(p.stat().st_mode & 0o777) for work in works for p in work.rglob("*") if p.is_file()}
    )
    state = "none" if not out.exists() else "complete" if out.read_bytes() == reference else "bad"
    return {"output_after_kill": state, "work_file_modes": modes}


def kills(folder: Path, runs: int, rows: int, rng: random.Random, write) -> None:  # type: ignore[no-untyped-def]
    source = folder / "big.csv"
    _survey_rows(source, rows)
    reference = folder / "reference.csv"
    started = time.perf_counter()
    _anonymise(source, reference, folder / "review" / "ref_entities.csv").wait()
    took = time.perf_counter() - started
    expected = reference.read_bytes()
    for number in range(runs):
        out = folder / f"killed{number}.csv"
        entities = folder / "review" / f"e{number}.csv"
        process = _anonymise(source, out, entities)
        delay = rng.uniform(0.1, 0.95) * took
        time.sleep(delay)
        finished_before_kill = process.poll() is not None
        process.send_signal(signal.SIGKILL)
        process.wait()
        left = _left_after_kill(out, entities, expected)
        code = _anonymise(source, out, entities).wait()
        write(
            {
                "case": "kill",
                "delay_s": round(delay, 1),
                "uninterrupted_s": round(took, 1),
                "finished_before_kill": finished_before_kill,
                **left,
                "resume_exit": code,
                "identical": out.exists() and out.read_bytes() == expected,
            }
        )


def concurrent(folder: Path, runs: int, size: int, write) -> None:  # type: ignore[no-untyped-def]
    from lived_experience.ingest import read_table

    source = folder / "mid.csv"
    _survey_rows(source, size)
    for number in range(runs):
        out = folder / f"same{number}.csv"
        first = _anonymise(source, out, folder / "review" / f"c{number}a.csv")
        second = _anonymise(source, out, folder / "review" / f"c{number}b.csv")
        codes = [first.wait(), second.wait()]
        errors = (first.stderr.read() if first.stderr else b"") + (
            second.stderr.read() if second.stderr else b""
        )
        rows = len(read_table(out)) if out.exists() else 0
        write(
            {
                "case": "concurrent",
                "exits": sorted(codes),
                "le041": b"LE041" in errors,
                "traceback": b"Traceback" in errors,
                "rows": rows,
                "ok": sorted(codes) == [0, 2] and b"LE041" in errors and rows == size,
            }
        )


def summarise(records: list[dict[str, object]]) -> dict[str, int]:
    """The benchmark's counts from its JSON lines."""
    fuzz = [r for r in records if r.get("case") == "fuzz"]
    runs = [r[c] for r in fuzz for c in COMMANDS if isinstance(r.get(c), dict)]
    kill = [r for r in records if r.get("case") == "kill"]
    pairs = [r for r in records if r.get("case") == "concurrent"]
    return {
        "inputs": len(fuzz),
        "inputs_apart": sum(bool(r.get("processes")) for r in fuzz),
        "runs": len(runs),
        "clean": sum(bool(r.get("clean")) for r in runs),  # type: ignore[union-attr]
        "succeeded": sum(r.get("exit") == 0 for r in runs),  # type: ignore[union-attr]
        "rows_lost": sum(int(r.get("rows_lost", 0)) for r in runs),  # type: ignore[union-attr]
        "tracebacks": sum(bool(r.get("traceback")) for r in runs),  # type: ignore[union-attr]
        "values": sum(bool(r.get("value_in_message")) for r in runs),  # type: ignore[union-attr]
        "kills": len(kill),
        "killed_mid_run": sum(not r["finished_before_kill"] for r in kill),
        "kill_left_partial": sum(r["output_after_kill"] == "bad" for r in kill),
        "kill_public_work_files": sum(
            any(m != "0o600" for m in r["work_file_modes"])  # type: ignore[attr-defined]
            for r in kill
        ),
        "identical": sum(bool(r["identical"]) for r in kill),
        "pairs": len(pairs),
        "pairs_ok": sum(bool(r["ok"]) for r in pairs),
        "pair_tracebacks": sum(bool(r["traceback"]) for r in pairs),
    }


def table(counts: dict[str, int], command: str, note: str) -> str:
    rows = [
        ("random inputs tried", "inputs"),
        ("... of which each command ran as a separate process", "inputs_apart"),
        ("command runs (ingest, disclosure-check, code, anonymise)", "runs"),
        ("runs handled cleanly (exit 0 with every row, or exit 2/3 with one LE line)", "clean"),
        ("runs that exited 0", "succeeded"),
        ("rows lost or misaligned in runs that exited 0", "rows_lost"),
        ("tracebacks", "tracebacks"),
        ("runs with a value from the file in their messages", "values"),
        ("anonymise runs killed (SIGKILL) and resumed", "kills"),
        ("... killed before they had finished", "killed_mid_run"),
        ("... leaving a partial or wrong output file", "kill_left_partial"),
        ("... leaving a work file readable by others (not 0600)", "kill_public_work_files"),
        ("... resumed output byte-identical to an uninterrupted run", "identical"),
        ("pairs of concurrent runs to one output", "pairs"),
        ("... one wrote all rows, the other stopped at once with LE041 (exit 2)", "pairs_ok"),
        ("... tracebacks", "pair_tracebacks"),
    ]
    lines = [f"`{command}`", "", note, "", "| measure | count |", "| --- | ---: |"]
    lines += [f"| {label} | {counts[key]:,} |" for label, key in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=200, help="most random inputs to try")
    parser.add_argument(
        "--processes",
        type=int,
        default=20,
        help="the first N inputs run each command as a separate process (slow); the rest "
        "through the command line in this process (CliRunner), as tests/robustness does",
    )
    parser.add_argument("--minutes", type=float, default=0, help="stop fuzzing after this long")
    parser.add_argument("--kills", type=int, default=6)
    parser.add_argument("--kill-rows", type=int, default=3000, help="rows of the killed runs")
    parser.add_argument("--concurrent", type=int, default=4)
    parser.add_argument("--concurrent-rows", type=int, default=1000, help="rows of each pair")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--jsonl", type=Path, default=REPO / "out" / "fuzz_fault.jsonl")
    parser.add_argument("--summarise", action="store_true", help="only rebuild the table")
    parser.add_argument(
        "--resume", action="store_true", help="keep the inputs finished in --jsonl, run the rest"
    )
    parser.add_argument("--docs", action="store_true", help="write the table into the docs")
    args = parser.parse_args()
    command = "PYTHONPATH=$PWD nice -n 10 python bench/fuzz_fault.py " + " ".join(
        a for a in sys.argv[1:] if a not in ("--summarise", "--resume")
    )
    if not args.summarise:
        args.jsonl.parent.mkdir(parents=True, exist_ok=True)
        rng = random.Random(args.seed)
        counts = FuzzCounts()
        started = time.perf_counter()
        load = os.getloadavg()[0]
        earlier: list[dict[str, object]] = []
        if args.resume and args.jsonl.exists():  # keep the finished inputs, redo the rest
            lines = args.jsonl.read_text(encoding="utf-8").splitlines()
            earlier = [r for r in map(json.loads, lines) if r.get("case") in ("start", "fuzz")]
        done = {r["number"] for r in earlier if r.get("case") == "fuzz"}
        with args.jsonl.open("w", encoding="utf-8") as log, tempfile.TemporaryDirectory() as temp:

            def write(record: dict[str, object]) -> None:
                log.write(json.dumps(record, sort_keys=True) + "\n")
                log.flush()

            for record in earlier or [{"case": "start", "command": command}]:
                write(record)
            if earlier:
                write({"case": "resume", "command": command})
            folder = Path(temp)
            base = seed_survey()
            for number in range(args.files):
                if args.minutes and time.perf_counter() - started > 60 * args.minutes:
                    break
                if number in done:
                    continue
                case = folder / f"case{number}"
                case.mkdir()
                # each input has its own generator, so a resumed run draws the same inputs
                case_rng = random.Random(args.seed * 1_000_003 + number)
                path, kind = mutated_survey(base, case_rng, case)
                apart = number < args.processes
                record = run_fuzz_case(path, case, counts, kind=kind, in_process=not apart)
                record["processes"] = apart
                write({"case": "fuzz", "number": number, **record})
            kills(folder, args.kills, args.kill_rows, rng, write)
            concurrent(folder, args.concurrent, args.concurrent_rows, write)
            minutes = (time.perf_counter() - started) / 60
            write({"case": "end", "minutes": round(minutes, 1), "load_at_start": load})
    records = [json.loads(line) for line in args.jsonl.read_text(encoding="utf-8").splitlines()]
    end = [r for r in records if r.get("case") == "end"]
    note = (
        f"{end[0]['minutes']} min on the shared 2-core machine (load average "
        f"{end[0]['load_at_start']:.1f} at the start)"
        if end
        else "cut short: counts of the cases finished"
    )
    not_clean = sorted(
        {
            f"{r['kind']}/{c}"
            for r in records
            if r.get("case") == "fuzz"
            for c in COMMANDS
            if isinstance(r.get(c), dict) and not r[c].get("clean")
        }
    )
    runs = [str(r["command"]) for r in records if r.get("case") in ("start", "resume")]
    text = table(summarise(records), "` then `".join(runs) if runs else command, note)
    if not_clean:
        text += "\n\nNot clean (mutation/command): " + "; ".join(not_clean[:20])
    print(text)
    if args.docs:
        replace_section(REPO / "docs" / "benchmarks.md", "robustness_fuzz", text)


if __name__ == "__main__":
    main()
