"""Would fine-tuning the sentence model on the hand-coded sample lift ``fewshot_coder.v5``?

Run from the repository root (``../shared/benchmarks/pxtextmining`` present, the embedding
cache of ``bench/pxtextmining_coding_benchmark.py`` filled):

    PYTHONPATH=.:bench nice -n 5 .venv/bin/python bench/pxtextmining_finetune_v5_probe.py \
        --folds 0,1,2,3,4 --rows out/ft5/rows.jsonl

A probe, not a candidate. On each outer fold of the benchmark's ``KFold(5, shuffle=True,
random_state=0)``, with all of the fold's training comments:

1. all-MiniLM-L6-v2 with a linear head over its normalised embedding is fine-tuned on the
   training comments (multi-label BCE, positive weight sqrt(negatives/positives) per category,
   AdamW 5e-5 for the encoder and 2e-3 for the head, linear warm-up 10% then decay, batches of
   32 comments of similar length, at most 128 tokens, ``--epochs`` epochs; seeded);
2. ``fewshot_coder.v5`` (5 inner folds) is fitted on the same training comments with that
   fine-tuned model as its embedder, and codes the held-out comments, which neither step saw.

The held-out figures are honest. The inner folds' cuts are not leak-free: the embedding saw
every training comment's labels, so out-of-fold scores are more confident than scores of new
comments will be, and the cuts (and the coder's expected kappa) are fitted on them. A
leak-free version needs one fine-tuning per inner fold.

Printed and written per fold (``--rows``), then pooled over the folds run: macro and micro F1
and mean per-category kappa of ``tfidf_linearsvc_balanced``, ``fewshot_coder.v5`` on the
frozen embedding, and ``v5_finetuned``, all on the same folds in the same run.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from pxtextmining_coding_benchmark import (
    PX,
    REPO,
    MemoEmbedder,
    fewshot,
    load,
    px_codebook,
    tfidf_svc,
)


def finetune(
    texts: list[str], y: np.ndarray, epochs: int, seed: int = 0, bucketed: bool = True
) -> tuple[Any, Any]:
    """The shipped fine-tuning (:func:`lived_experience.coding.finetune.fine_tune_with_head`,
    which ``fewshot_coder.v6`` runs): a copy of the sentence model fine-tuned with a linear head
    on ``texts``, and the head. ``bucketed``: batches of comments of similar length (less
    padding); otherwise consecutive rows of each epoch's shuffle
    (``pxtextmining_finetune_probe.py``'s first run)."""
    from lived_experience.coding.finetune import FineTuning, fine_tune_with_head

    settings = FineTuning(epochs=epochs, seed=seed, length_buckets=bucketed)
    return fine_tune_with_head(texts, y, settings)


class TunedEmbedder:
    """The fine-tuned model as a coder's embedder (L2-normalised, memoised)."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self._memo: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        import torch

        texts = list(texts)
        missing = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if missing:
            with torch.no_grad():
                vectors = self.model.encode(
                    missing, batch_size=64, normalize_embeddings=True, show_progress_bar=False
                )
            self._memo.update(zip(missing, np.asarray(vectors, dtype=np.float32), strict=True))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([self._memo[t] for t in texts])


def measures(y: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import cohen_kappa_score, f1_score

    kappas = [
        cohen_kappa_score(y[:, j], predicted[:, j]) if predicted[:, j].any() else 0.0
        for j in range(y.shape[1])
    ]
    return {
        "macro_f1": round(float(f1_score(y, predicted, average="macro", zero_division=0)), 4),
        "micro_f1": round(float(f1_score(y, predicted, average="micro", zero_division=0)), 4),
        "mean_kappa": round(float(np.mean(kappas)), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", default="0,1,2,3,4")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--cache", type=Path, default=REPO / "out" / "embeddings.sqlite")
    parser.add_argument("--rows", type=Path, required=True)
    parser.add_argument("--limit", type=int, help="the first N comments only (a smoke run)")
    args = parser.parse_args()

    import torch
    from sklearn.model_selection import KFold

    torch.set_num_threads(2)
    texts, y, names = load(PX)
    if args.limit:
        texts, y = texts[: args.limit], y[: args.limit]
    book = px_codebook(names)
    frozen = MemoEmbedder(args.cache)
    splits = list(KFold(5, shuffle=True, random_state=0).split(texts))
    candidates = ("tfidf_linearsvc_balanced", "fewshot_coder.v5", "v5_finetuned")
    predicted = {name: np.zeros_like(y) for name in candidates}
    done: list[np.ndarray] = []
    args.rows.parent.mkdir(parents=True, exist_ok=True)
    for fold in (int(f) for f in args.folds.split(",")):
        train, test = splits[fold]
        train_x, test_x = [texts[i] for i in train], [texts[i] for i in test]
        seconds: dict[str, float] = {}
        start = time.perf_counter()
        predicted["tfidf_linearsvc_balanced"][test] = tfidf_svc(train_x, y[train], test_x, True)
        seconds["tfidf_linearsvc_balanced"] = time.perf_counter() - start
        start = time.perf_counter()
        predicted["fewshot_coder.v5"][test] = fewshot(
            book, frozen, train_x, y[train], test_x, "fewshot_coder.v5", inner_folds=5
        )
        seconds["fewshot_coder.v5"] = time.perf_counter() - start
        start = time.perf_counter()
        tuned = TunedEmbedder(finetune(train_x, y[train], args.epochs, seed=fold)[0])
        seconds["finetune"] = time.perf_counter() - start
        predicted["v5_finetuned"][test] = fewshot(
            book,
            tuned,  # type: ignore[arg-type]
            train_x,
            y[train],
            test_x,
            "fewshot_coder.v5",
            inner_folds=5,
        )
        seconds["v5_finetuned"] = time.perf_counter() - start
        done.append(test)
        # each fold's predictions beside the rows, so that a partial run can be pooled
        np.savez(
            args.rows.with_name(f"{args.rows.stem}_fold{fold}.npz"),
            test=test,
            **{name: predicted[name][test] for name in candidates},
        )
        for name in candidates:
            row = {"fold": fold, "candidate": name, **measures(y[test], predicted[name][test])}
            row["seconds"] = round(seconds.get(name, 0.0), 1)
            if name == "v5_finetuned":
                row["finetune_seconds"] = round(seconds["finetune"], 1)
            print(json.dumps(row), flush=True)
            with args.rows.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(row) + "\n")
    rows = np.concatenate(done)
    for name in candidates:
        pooled = measures(y[rows], predicted[name][rows])
        print(json.dumps({"folds": args.folds, "candidate": name, **pooled}), flush=True)


if __name__ == "__main__":
    main()
