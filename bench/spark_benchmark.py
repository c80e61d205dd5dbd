"""Throughput and peak memory of anonymisation: one process vs Spark local[1] vs local[2].

Run from the repository root (after `make install`), on an otherwise quiet machine:

    nice -n 10 .venv/bin/python bench/spark_benchmark.py --rows 20000 --model en_core_web_sm

Each engine runs in its own child process on the same generated CSV (rows drawn from the
bundled synthetic survey, ids made unique), with the same settings and secret; the outputs
are compared byte for byte. Peak memory: the single-process engine's from its own rusage; for
Spark, the driver's (Python), the JVM's and each Python worker's, from /proc VmHWM sampled
every 0.2 s. Prints one JSON line per engine and a Markdown table with ratios (paste it,
with the command and the machine's load, into docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
TEXT = ["q_experience", "q_improve"]


def make_input(rows: int, path: Path, columns: list[str]) -> None:
    base = pd.read_csv(REPO / "data/synthetic/staff_survey.csv", dtype=str, keep_default_na=False)
    frame = base.sample(n=rows, replace=True, random_state=0).reset_index(drop=True)
    frame["respondent_id"] = [f"B{i:07d}" for i in range(rows)]
    if columns != TEXT:  # a narrower file: the id and the chosen free-text columns only
        frame = frame[["respondent_id", *columns]]
    frame.to_csv(path, index=False)


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        children: list[str] = []
        for task in Path(f"/proc/{parent}/task").glob("*"):  # the JVM forks from many threads
            try:
                children += (task / "children").read_text().split()
            except OSError:
                continue
        for child in map(int, children):
            found.append(child)
            todo.append(child)
    return found


def _peak_kib(pid: int) -> tuple[str, int] | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return None
    peak = next(
        (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")), 0
    )
    kind = "jvm" if "java" in cmdline.split(" ")[0] else "python worker"
    return kind, peak


def child(
    engine: str,
    master: str,
    source: Path,
    output: Path,
    model: str,
    secret: Path,
    columns: list[str],
) -> None:
    from lived_experience.anonymise import Anonymiser, AnonymiserSettings
    from lived_experience.anonymise.files import anonymise_file
    from lived_experience.anonymise.pseudonyms import load_or_create_secret

    settings = (
        AnonymiserSettings(use_ner=False)
        if model == "none"
        else AnonymiserSettings(spacy_model=model)
    )
    anonymiser = Anonymiser(settings, secret=load_or_create_secret(secret))
    peaks: dict[int, tuple[str, int]] = {}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            for pid in _descendants(os.getpid()):
                got = _peak_kib(pid)
                if got:
                    peaks[pid] = (got[0], max(got[1], peaks.get(pid, ("", 0))[1]))
            time.sleep(0.2)

    engine_fn = None
    started = time.perf_counter()
    startup = 0.0
    if engine == "spark":
        from lived_experience.spark import anonymise_engine
        from lived_experience.spark.session import spark_session

        session = spark_session(master)  # started first so its JVM start-up is timed apart
        startup = time.perf_counter() - started
        engine_fn = anonymise_engine("spark", master, settings, secret, output.parent)
        threading.Thread(target=sample, daemon=True).start()
    begin = time.perf_counter()
    load = 0.0
    if engine == "local":  # timed, as each Spark worker's model load is inside its time
        anonymiser._build()
        load = time.perf_counter() - begin
    summary = anonymise_file(
        source, output, columns, "respondent_id", anonymiser, chunk_size=5000, engine=engine_fn
    )
    seconds = time.perf_counter() - begin
    stop.set()
    if engine == "spark":
        session.stop()
    workers = sorted(p for kind, p in peaks.values() if kind == "python worker")
    jvm = [p for kind, p in peaks.values() if kind == "jvm"]
    print(
        json.dumps(
            {
                "engine": engine if engine == "local" else f"spark {master}",
                "rows": summary.rows,
                "seconds": round(seconds, 1),
                "rows_per_s": round(summary.rows / seconds, 1),
                "startup_s": round(startup, 1),
                "model_load_s": round(load, 1),
                "driver_peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "jvm_peak_mib": round(max(jvm) / 1024) if jvm else None,
                "worker_peaks_mib": [round(p / 1024) for p in workers[-8:]],
            }
        ),
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument(
        "--model", default="en_core_web_sm", help="spaCy model, or 'none' for rules only (no NER)"
    )
    parser.add_argument("--engines", nargs="+", default=["local", "local[1]", "local[2]"])
    parser.add_argument("--folder", type=Path, default=REPO / "out" / "spark_benchmark")
    parser.add_argument("--columns", nargs="+", default=TEXT, help="free-text columns to use")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "MASTER"))
    args = parser.parse_args()
    folder = args.folder
    tag = "" if args.columns == TEXT else "_" + "_".join(args.columns)
    source, secret = folder / f"input_{args.rows}{tag}.csv", folder / "secret.key"
    if args.child:
        engine, master = args.child
        name = "local" if engine == "local" else master.replace("[", "_").replace("]", "")
        child(engine, master, source, folder / f"out_{name}.csv", args.model, secret, args.columns)
        return
    folder.mkdir(parents=True, exist_ok=True)
    secret.write_text("5a" * 32 + "\n", encoding="ascii")
    if not source.exists():
        make_input(args.rows, source, args.columns)
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    results = []
    for engine in args.engines:
        spec = ["local", "local"] if engine == "local" else ["spark", engine]
        command = [sys.executable, __file__, "--rows", str(args.rows), "--model", args.model]
        command += ["--folder", str(folder), "--columns", *args.columns, "--child", *spec]
        load = os.getloadavg()[0]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if done.returncode or not lines:
            sys.exit(f"{engine} failed (exit {done.returncode}): {done.stderr[-2000:]}")
        result = json.loads(lines[-1]) | {"load_before": round(load, 1)}
        print(json.dumps(result), flush=True)
        results.append(result)
    outputs = sorted(folder.glob("out_*.csv"))
    identical = all(filecmp.cmp(outputs[0], o, shallow=False) for o in outputs[1:])
    local = next((r for r in results if r["engine"] == "local"), None)
    one = next((r for r in results if r["engine"] == "spark local[1]"), None)
    print(f"\noutputs byte-identical: {identical}\n")
    print(
        "| engine | rows | s | rows/s | vs single process | driver MiB | JVM MiB | "
        "workers MiB | load |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        ratio = f"{r['rows_per_s'] / local['rows_per_s']:.2f}x" if local else ""
        print(
            f"| {r['engine']} | {r['rows']} | {r['seconds']} | {r['rows_per_s']} | {ratio} | "
            f"{r['driver_peak_mib']} | {r['jvm_peak_mib'] or ''} | "
            f"{', '.join(map(str, r['worker_peaks_mib']))} | {r['load_before']} |"
        )
    two = next((r for r in results if r["engine"] == "spark local[2]"), None)
    if one and two:
        print(f"\nlocal[2] / local[1]: {two['rows_per_s'] / one['rows_per_s']:.2f}x")
    if one and local:
        print(f"Spark per core / single process: {one['rows_per_s'] / local['rows_per_s']:.2f}")


if __name__ == "__main__":
    main()
