"""Coding with no hand-coded answers, on real NHS comments, with a codebook someone else wrote.

``pxtextmining_coding_benchmark.py`` measures coders that *learn* from labels. This one
measures what ``lived-experience code`` does before anyone has hand-coded anything: the
default coder reads only the codebook. To measure that honestly, the codebook must not be
ours either. The Patient Experience Qualitative Data Categorisation framework (the framework
pxtextmining's comments were labelled with) publishes each sub-category's definition and
example comments; this script turns that text into a codebook *mechanically* (name -> label,
the paragraph under the name -> definition, the quoted examples -> examples; no keywords, no
words of ours) and codes the 7,394 comments with it.

Run from the repository root (after ``make install``; the comments are in
../shared/benchmarks/pxtextmining, never copied into the repository; the framework text is
``docs/framework/framework3.qmd`` of github.com/The-Strategy-Unit/PatientExperience-QDC, MIT
licence, read from ``--framework``):

    PYTHONPATH=bench nice -n 10 .venv/bin/python bench/pxtextmining_zero_shot_benchmark.py \\
        --framework PATH/TO/framework3.qmd

Categories: those whose name is the same in the framework text and in the comments' label
columns (the labels use framework v6; renamed or merged sub-categories are left out rather
than mapped by us), with at least 50 labelled comments. The framework's examples are quoted
from real comments, so any comment that contains one of them (normalised) is left out of the
evaluation, and the count is reported.

Candidates, no labels (every comment is evaluation data):
* ``naive_zero_shot``: cosine between the whole comment and "label. definition" (MiniLM), a
  code at >= 0.5, the coders' default threshold (the issue's naive baseline);
* ``embedding_coder.v1`` / ``.v2`` and ``hybrid_coder.v2`` (similarity to the definition and
  examples), ``codebook_coder.v1`` and ``hybrid_coder.v3`` (``code``'s default: classifiers
  trained on the codebook's definitions and examples): sentence by sentence, a comment holds a
  code when any of its sentences does;
* the same two hybrids with sparser codebooks: ``--sparse`` examples per category (3 and 6;
  our shipped codebook has 3), ``--sparse-draws`` seeded draws each.
The ranking each no-label coder's scores give is also reported as the F1 of the best cut per
code (``best-cut F1``): that cut needs labels to find, so it is a diagnostic of how much is the
ranking and how much the threshold, never a figure the coder reaches.

With 50 hand-coded comments (the ``--train`` case): five draws of 50 comments (seeded); each
candidate trains on the 50 and is scored on every other evaluation comment:
TF-IDF + balanced LinearSVC, ``fewshot_coder.v2`` given only the category names (as in the
learning benchmark), and ``fewshot_coder.v2`` given the framework codebook (its definitions and
examples become training rows).

Writes the ``pxtextmining_zero_shot`` section of docs/benchmarks_coding.md and prints it.
"""

from __future__ import annotations

import argparse
import platform
import re
import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from markdown_table import md, replace_coding_section
from pxtextmining_coding_benchmark import PX, MemoEmbedder, load, px_codebook, tfidf_svc

from lived_experience.codebook import Code, Codebook, Theme
from lived_experience.coding import CODERS
from lived_experience.coding.coders import DEFAULT_THRESHOLD
from lived_experience.coding.fewshot import _kappa
from lived_experience.coding.segments import split_sentences

REPO = Path(__file__).resolve().parents[1]
DEFAULT = "hybrid_coder.v3"  # what `lived-experience code` uses with no labels
NO_LABEL_CODERS = (
    "embedding_coder.v1",
    "embedding_coder.v2",
    "hybrid_coder.v2",
    "codebook_coder.v1",
    DEFAULT,
)
_QUOTE_SPLIT = re.compile(r"['\u2018\u2019]\s*,\s*['\u2018\u2019]")
_TONE = re.compile(r"^\s*(?:Positi?ve|Mixed|Negative(?:\s*/\s*wishlist)?|Neutral)\s*:\s*", re.I)


@dataclass
class Entry:
    """One framework sub-category as published."""

    name: str
    definition: str
    examples: list[str]


def parse_framework(text: str) -> list[Entry]:
    """Each ``### name`` section: the paragraphs before ``Examples:`` are the definition; the
    quoted, comma-separated comments after it (lines may start "Positive:", "Mixed:", ...)
    are the examples."""
    entries = []
    for block in re.split(r"^### ", text, flags=re.M)[1:]:
        name, _, body = block.partition("\n")
        # callout fences, their titles and the next section's heading are not text
        body = re.sub(r"^(?::::|#).*$|^.*collapse=true.*$", "", body, flags=re.M)
        head, _, tail = body.partition("Examples:")
        definition = " ".join(head.split())
        examples: list[str] = []
        for line in tail.splitlines():
            line = _TONE.sub("", line).strip()
            if not line:
                continue
            for piece in _QUOTE_SPLIT.split(line):
                piece = piece.strip().strip("'\u2018\u2019").strip()
                if len(piece) > 1 and not piece.startswith("("):
                    examples.append(piece)
        entries.append(Entry(name.strip(), definition, examples))
    return entries


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def framework_codebook(entries: list[Entry]) -> Codebook:
    """The framework as a codebook, with nothing added: no keywords, patterns or notes."""
    codes = [
        Code.model_construct(
            id=slug(e.name),
            label=e.name,
            definition=e.definition,
            when_to_use="",
            when_not_to_use="",
            examples=list(e.examples),
            keywords=[],
            patterns=[],
            wres_indicators=[],
            colour="#777777",
        )
        for e in entries
    ]
    theme = Theme.model_construct(id="qdc", label="QDC framework", description="", codes=codes)
    return Codebook.model_construct(
        id="qdc_framework",
        version="3",
        description="",
        authors=["The Strategy Unit"],
        themes=[theme],
    )


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split())


def leaked(texts: list[str], examples: list[str]) -> np.ndarray:
    """Comments that equal, or contain, one of the framework's quoted examples (examples of
    five words or more are looked for inside comments; shorter ones only as the whole
    comment: "Very good service" is in many comments written independently)."""
    whole = {normalise(e) for e in examples}
    inside = [n for n in whole if len(n.split()) >= 5]
    out = np.zeros(len(texts), dtype=bool)
    for i, text in enumerate(texts):
        n = normalise(text)
        out[i] = n in whole or any(e in n for e in inside)
    return out


def metrics(y: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import f1_score

    kappas = [_kappa(y[:, j], predicted[:, j]) for j in range(y.shape[1])]
    return {
        "macro_f1": float(f1_score(y, predicted, average="macro", zero_division=0)),
        "micro_f1": float(f1_score(y, predicted, average="micro", zero_division=0)),
        "mean_kappa": float(np.nanmean(kappas)),
    }


def best_cut_f1(y: np.ndarray, scores: np.ndarray) -> float:
    """Mean over codes of the best F1 any cut of the scores reaches (needs the labels)."""
    from lived_experience.coding.fewshot import _best_f1

    return float(np.mean([_best_f1(y[:, j], scores[:, j]) for j in range(y.shape[1])]))


def sentence_coded(coder: object, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(assigned, scores) per comment from a sentence-level coder: any sentence / max score."""
    frame = pd.DataFrame({"segment_id": [str(i) for i in range(len(texts))], "text": texts})
    sentences = split_sentences(frame)
    owners = sentences["segment_id"].astype(int).to_numpy()
    result = coder.code(sentences["sentence"].tolist())  # type: ignore[attr-defined]
    assigned = np.zeros((len(texts), len(result.code_ids)), dtype=bool)
    scores = np.zeros((len(texts), len(result.code_ids)), dtype=np.float32)
    np.logical_or.at(assigned, owners, result.assigned)
    np.maximum.at(scores, owners, result.scores)
    return assigned, scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=PX)
    parser.add_argument("--framework", type=Path, required=True)
    parser.add_argument(
        "--cache", type=Path, default=REPO / "out" / "pxtextmining_embeddings.sqlite"
    )
    parser.add_argument("--draws", type=int, default=5)
    parser.add_argument("--labelled", type=int, default=50)
    parser.add_argument("--sparse", type=int, nargs="*", default=[3, 6])
    parser.add_argument("--sparse-draws", type=int, default=3)
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "benchmarks_coding.md")
    parser.add_argument(
        "--labelled-only",
        action="store_true",
        help="only the 50-hand-coded-comments part (no-label coders and sparse codebooks skipped)",
    )
    parser.add_argument(
        "--candidates",
        default=None,
        help="names of the labelled part's candidates to run, separated by ';' (default: all)",
    )
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"pxtextmining data not found at {args.data}; pass --data.")
    if not args.framework.exists():
        sys.exit(
            f"framework text not found at {args.framework}: pass --framework with "
            "docs/framework/framework3.qmd from The-Strategy-Unit/PatientExperience-QDC."
        )
    started = time.time()
    texts, y_all, names = load(args.data)
    entries = {e.name: e for e in parse_framework(args.framework.read_text(encoding="utf-8"))}
    named = [j for j, n in enumerate(names) if n in entries and entries[n].examples]
    every_example = [x for j in named for x in entries[names[j]].examples]
    drop = leaked(texts, every_example)
    keep = np.flatnonzero(~drop)
    texts = [texts[i] for i in keep]
    # >= 50 comments with the category once the comments holding an example are left out
    usable = [j for j in named if y_all[keep, j].sum() >= 50]
    chosen = [names[j] for j in usable]
    left_out = [n for n in names if n not in entries or not entries[n].examples]
    too_few = [names[j] for j in named if j not in usable]
    book = framework_codebook([entries[n] for n in chosen])
    y = y_all[keep][:, usable]
    print(f"{len(chosen)} categories, {len(texts)} comments ({int(drop.sum())} left out)")
    embedder = MemoEmbedder(args.cache)

    rows = []

    def add(
        name: str, labels: str, predicted: np.ndarray, scores: np.ndarray | None, truth: np.ndarray
    ) -> None:
        row = {"candidate": name, "hand-coded comments": labels, **metrics(truth, predicted)}
        row["best-cut F1 (diagnostic)"] = (
            best_cut_f1(truth, scores) if scores is not None else float("nan")
        )
        rows.append(row)
        print(row, flush=True)

    per_code: dict[str, np.ndarray] = {}
    if not args.labelled_only:
        no_label_part(args, embedder, book, texts, y, entries, chosen, add, rows, per_code)
    estimates: list[dict[str, float]] = []
    labelled_part(args, embedder, book, texts, y, chosen, rows, estimates)
    table = pd.DataFrame(rows)
    kappas = (
        pd.DataFrame(
            {
                "category": chosen,
                "comments with it": y.sum(axis=0),
                **{
                    f"{name} kappa": [
                        _kappa(y[:, j], per_code[name][:, j]) for j in range(len(chosen))
                    ]
                    for name in ("hybrid_coder.v2", DEFAULT)
                },
            }
        )
        if per_code
        else None
    )
    section = "\n".join(
        [
            "## pxtextmining with the framework's own codebook: no labels, and 50",
            "",
            "Command (one run; the only timing, v6's fit seconds, is on 2 shared cores):",
            "",
            "```",
            "PYTHONPATH=bench nice -n 10 .venv/bin/python "
            "bench/pxtextmining_zero_shot_benchmark.py --framework PATH/TO/framework3.qmd "
            + shlex.join(a for a in sys.argv[1:] if a != "--framework" and not a.endswith(".qmd")),
            "```",
            "",
            f"{len(chosen)} categories (same name in the framework text and the labels, >= 50 "
            f"comments), {len(texts)} comments ({int(drop.sum())} left out because they contain "
            "one of the framework's quoted examples). Left out as renamed or merged in the "
            f"framework: {', '.join(left_out) or 'none'}; with under 50 comments once those are "
            f"left out: {', '.join(too_few) or 'none'}. Framework text: "
            "The-Strategy-Unit/PatientExperience-QDC `docs/framework/framework3.qmd` (MIT), "
            "made into a codebook mechanically (see the script). Python "
            f"{platform.python_version()}, {time.time() - started:.0f} s.",
            "",
            md(table.round(3)),
            *(
                [
                    "",
                    "`fewshot_coder.v6`'s own estimate of its agreement (from the 50 only) beside "
                    "the agreement it reached on the other comments, per draw: mean kappa over "
                    "the categories with 2+ examples among the 50 (the estimate's categories):",
                    "",
                    md(pd.DataFrame(estimates).round(3)),
                ]
                if estimates
                else []
            ),
            *(
                ["", "Per category, no labels:", "", md(kappas.round(3))]
                if kappas is not None
                else []
            ),
        ]
    )
    replace_coding_section(
        args.output, "pxtextmining_zero_shot", "coding_pxtextmining_zero_shot", section
    )
    print(section)


def no_label_part(  # type: ignore[no-untyped-def]
    args, embedder, book, texts, y, entries, chosen, add, rows, per_code
) -> None:
    """The coders that read only the codebook, and the hybrids with sparser codebooks."""
    # -- no labels ---------------------------------------------------------------------------
    prototypes = [f"{c.label}. {c.definition}" for c in book.codes]
    similarity = np.clip(embedder.embed(texts) @ embedder.embed(prototypes).T, 0, 1)
    add("naive_zero_shot", "0", similarity >= DEFAULT_THRESHOLD, similarity, y)
    for name in NO_LABEL_CODERS:
        coder = CODERS.get(name)(book, embedder=embedder)
        assigned, scores = sentence_coded(coder, texts)
        add(name + (" (default)" if name == DEFAULT else ""), "0", assigned, scores, y)
        per_code[name] = assigned

    # -- sparser codebooks: k examples per category (our own codebook has 3) ----------------
    for k in args.sparse:
        for name in ("hybrid_coder.v2", DEFAULT):
            values = []
            for draw in range(args.sparse_draws):
                rng = np.random.default_rng(draw)
                sparse_book = framework_codebook(
                    [
                        Entry(
                            e.name,
                            e.definition,
                            [
                                e.examples[i]
                                for i in sorted(
                                    rng.choice(len(e.examples), min(k, len(e.examples)), False)
                                )
                            ],
                        )
                        for e in (entries[n] for n in chosen)
                    ]
                )
                coder = CODERS.get(name)(sparse_book, embedder=embedder)
                values.append(metrics(y, sentence_coded(coder, texts)[0]))
            rows.append(
                {
                    "candidate": f"{name}, {k} examples per category "
                    f"(mean of {args.sparse_draws} draws)",
                    "hand-coded comments": "0",
                    **{m: float(np.mean([v[m] for v in values])) for m in values[0]},
                    "best-cut F1 (diagnostic)": float("nan"),
                }
            )
            print(rows[-1], flush=True)


def labelled_part(  # type: ignore[no-untyped-def]
    args, embedder, book, texts, y, chosen, rows, estimates
) -> None:
    """Each candidate trained on ``args.labelled`` hand-coded comments (``args.draws`` seeded
    draws), scored on every other comment; ``estimates`` gets v6's own estimates per draw."""
    # -- 50 hand-coded comments -------------------------------------------------------------
    names_only = px_codebook(chosen)
    results: dict[str, list[dict[str, float]]] = {}
    for draw in range(args.draws):
        rng = np.random.default_rng(draw)
        train = rng.choice(len(texts), args.labelled, replace=False)
        test = np.setdiff1d(np.arange(len(texts)), train)
        train_x, test_x = [texts[i] for i in train], [texts[i] for i in test]
        train_y = y[train]
        candidates = {
            "tfidf_linearsvc_balanced": (tfidf_svc, (train_x, train_y, test_x, True)),
            "fewshot_coder.v2, category names only": (
                _fewshot,
                ("fewshot_coder.v2", names_only, embedder, train_x, train_y, test_x, False),
            ),
            "fewshot_coder.v2, framework codebook": (
                _fewshot,
                ("fewshot_coder.v2", book, embedder, train_x, train_y, test_x, True),
            ),
            "fewshot_coder.v3, framework codebook": (
                _fewshot,
                ("fewshot_coder.v3", book, embedder, train_x, train_y, test_x, True),
            ),
            "fewshot_coder.v4, framework codebook": (
                _fewshot,
                ("fewshot_coder.v4", book, embedder, train_x, train_y, test_x, True),
            ),
            "fewshot_coder.v5, framework codebook": (
                _fewshot,
                ("fewshot_coder.v5", book, embedder, train_x, train_y, test_x, True),
            ),
            "fewshot_coder.v6, framework codebook": (
                _fewshot,
                ("fewshot_coder.v6", book, embedder, train_x, train_y, test_x, True, estimates),
            ),
        }
        if args.candidates:
            candidates = {n: c for n, c in candidates.items() if n in args.candidates.split(";")}
        for name, (function, arguments) in candidates.items():
            predicted = function(*arguments)
            results.setdefault(name, []).append(metrics(y[test], predicted))
            print(draw, name, results[name][-1], flush=True)
            if name.startswith("fewshot_coder.v6") and estimates:
                # the estimate's categories: 2+ examples among the draw's hand-coded comments
                usable = [j for j in range(y.shape[1]) if 2 <= train_y[:, j].sum() < len(train_y)]
                estimates[-1]["draw"] = draw
                estimates[-1]["held-out mean kappa, same categories"] = float(
                    np.mean([_kappa(y[test, j], predicted[:, j]) for j in usable])
                )
                print(estimates[-1], flush=True)
    for name, values in results.items():
        rows.append(
            {
                "candidate": name,
                "hand-coded comments": f"{args.labelled} (mean of {args.draws} draws)",
                **{k: float(np.mean([v[k] for v in values])) for k in values[0]},
                "best-cut F1 (diagnostic)": float("nan"),
            }
        )


def _fewshot(
    version: str,
    book: Codebook,
    embedder: MemoEmbedder,
    train_x: list[str],
    train_y: np.ndarray,
    test_x: list[str],
    use_codebook: bool,
    estimates: list[dict[str, float]] | None = None,
) -> np.ndarray:
    coder = CODERS.get(version)(book, embedder=embedder, use_codebook=use_codebook)
    ids = book.code_ids
    start = time.perf_counter()
    coder.fit(train_x, [{ids[j] for j in np.flatnonzero(row)} for row in train_y])
    if estimates is not None:
        estimates.append(
            {
                "fit seconds": round(time.perf_counter() - start, 1),
                f"estimate ({coder.expected_kappa_method_})": coder.expected_kappa_["kappa"],
                "95% interval low": coder.expected_kappa_["low"],
                "95% interval high": coder.expected_kappa_["high"],
                "inner folds' estimate": coder.inner_expected_kappa_["kappa"],
            }
        )
    return coder.predict(test_x)


if __name__ == "__main__":
    main()
