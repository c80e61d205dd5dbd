"""Fuzz and fault benchmark: random files through every command, kills, concurrent runs.

    nice -n 10 python bench/fuzz_fault.py --files 200 --kills 6 --concurrent 4

Counts go into docs/benchmarks.md (section "Robustness: fuzz and faults"):

* **inputs tried / handled cleanly**: a random mutation of a small valid survey (bytes flipped,
  cut, quotes, CR, NUL, BOMs, encodings, repeated or blank header names, long cells) goes
  through ``ingest``, ``disclosure-check``, ``code --coder rule`` and ``anonymise`` (rules
  only) as separate processes. Clean = exit 0, or exit 2/3 with one LE error line and no
  traceback; anything else is counted as not clean.
* **rows lost**: for every run that exits 0, the output read back with the toolkit's reader
  must hold exactly the rows the reader finds in the input, in order, with the same ids.
* **kills**: ``anonymise`` on a 3,000-row file is killed (SIGKILL) at a random moment and
  run again; the result must be byte-identical to an uninterrupted run.
* **concurrent runs**: two ``anonymise`` runs to the same output start together; exactly one
  may write (the other exits 2 with LE041 at once) and the output must be complete.
"""

from __future__ import annotations

import argparse
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
a = Anonymiser(AnonymiserSettings(use_ner=False), secret=b"s" * 32)
anonymise_file(sys.argv[1], sys.argv[2], ["q_experience"], "respondent_id", a,
               entities_path=sys.argv[3], chunk_size=200)
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": ""}


def _anonymise(source: Path, out: Path, entities: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", ANONYMISE, str(source), str(out), str(entities)],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def kills(folder: Path, runs: int, rng: random.Random) -> tuple[int, int]:
    """(runs, byte-identical resumes)."""
    import pandas as pd

    source = folder / "big.csv"
    pd.read_csv(REPO / "data/synthetic/staff_survey.csv", dtype=str, keep_default_na=False).head(
        3000
    ).to_csv(source, index=False)
    reference = folder / "reference.csv"
    _anonymise(source, reference, folder / "review" / "ref_entities.csv").wait()
    identical = 0
    for number in range(runs):
        out = folder / f"killed{number}.csv"
        entities = folder / "review" / f"e{number}.csv"
        process = _anonymise(source, out, entities)
        time.sleep(rng.uniform(4.0, 14.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        _anonymise(source, out, entities).wait()
        identical += int(out.exists() and out.read_bytes() == reference.read_bytes())
    return runs, identical


def concurrent(folder: Path, runs: int) -> tuple[int, int]:
    """(pairs, pairs where exactly one wrote a complete output and the other got LE041)."""
    import pandas as pd

    source = folder / "mid.csv"
    pd.read_csv(REPO / "data/synthetic/staff_survey.csv", dtype=str, keep_default_na=False).head(
        1000
    ).to_csv(source, index=False)
    good = 0
    for number in range(runs):
        out = folder / f"same{number}.csv"
        first = _anonymise(source, out, folder / "review" / f"c{number}a.csv")
        second = _anonymise(source, out, folder / "review" / f"c{number}b.csv")
        codes = [first.wait(), second.wait()]
        errors = (first.stderr.read() if first.stderr else b"") + (
            second.stderr.read() if second.stderr else b""
        )
        rows = len(pd.read_csv(out, dtype=str)) if out.exists() else 0
        good += int(sorted(codes) == [0, 1] and b"LE041" in errors and rows == 1000)
    return runs, good


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--kills", type=int, default=6)
    parser.add_argument("--concurrent", type=int, default=4)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    counts = FuzzCounts()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        base = seed_survey()
        for number in range(args.files):
            case = folder / f"case{number}"
            case.mkdir()
            path, kind = mutated_survey(base, rng, case)
            run_fuzz_case(path, case, counts, kind=kind, in_process=False)
        kill_runs, kill_identical = kills(folder, args.kills, rng)
        pairs, pairs_ok = concurrent(folder, args.concurrent)
    minutes = (time.perf_counter() - started) / 60
    lines = [
        "## Robustness: fuzz and faults",
        "",
        f"`nice -n 10 python bench/fuzz_fault.py --files {args.files} --kills {args.kills} "
        f"--concurrent {args.concurrent} --seed {args.seed}` ({minutes:.0f} min, 2 cores)",
        "",
        "| measure | count |",
        "| --- | ---: |",
        f"| random inputs tried | {counts.inputs} |",
        f"| command runs (ingest, disclosure-check, code, anonymise) | {counts.runs} |",
        f"| runs handled cleanly (exit 0, or exit 2/3 with one LE line) | {counts.clean} |",
        f"| runs that exited 0 | {counts.succeeded} |",
        f"| rows lost or misaligned in runs that exited 0 | {counts.rows_lost} |",
        f"| tracebacks | {counts.tracebacks} |",
        f"| anonymise runs killed (SIGKILL) and resumed | {kill_runs} |",
        f"| ... resumed output byte-identical to an uninterrupted run | {kill_identical} |",
        f"| pairs of concurrent runs to one output | {pairs} |",
        f"| ... one wrote all rows, the other stopped with LE041 | {pairs_ok} |",
    ]
    if counts.not_clean:
        lines += ["", "Not clean: " + "; ".join(sorted(set(counts.not_clean))[:10])]
    print("\n".join(lines))
    replace_section(REPO / "docs" / "benchmarks.md", "robustness_fuzz", "\n".join(lines))


if __name__ == "__main__":
    main()
