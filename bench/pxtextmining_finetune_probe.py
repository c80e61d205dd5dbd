"""Would fine-tuning the sentence model lift the few-shot coder on pxtextmining? One fold.

Run from the repository root (``../shared/benchmarks/pxtextmining`` present, the embedding
cache of ``bench/pxtextmining_coding_benchmark.py`` filled):

    PYTHONPATH=.:bench nice -n 5 .venv/bin/python bench/pxtextmining_finetune_probe.py --fold 0

A probe, not a candidate: fine-tuning costs about 20 minutes per fold on 2 cores, so it runs
one outer fold of the benchmark's ``KFold(5, shuffle=True, random_state=0)`` with all training
comments. The training part is split 80/20 (seeded); all-MiniLM-L6-v2 with a linear head over
its normalised embedding is fine-tuned on the 80% (multi-label BCE, positive weight
sqrt(negatives/positives) per category, AdamW 5e-5 for the encoder and 2e-3 for the head,
linear warm-up 10% then decay, batches of 32, at most 128 tokens, ``--epochs`` epochs); every
cut is fitted on the 20%, never on the held-out fold. Printed (macro F1 on the held-out fold):

* ``v2_frozen``: ``fewshot_coder.v2`` exactly as the benchmark runs it (all training comments,
  cuts by inner cross-validation);
* ``ft_head``: the fine-tuned model's own head;
* ``v2head_frozen_8020`` / ``v2head_ft_8020``: v2's features and classifiers trained on the 80%
  with the frozen or the fine-tuned embedding, cuts on the 20% (the fair pair: same rows,
  same cuts protocol, only the embedding differs);
* ``ens_*``: the mean of a v2 head's scores and the fine-tuned head's probabilities.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from pxtextmining_coding_benchmark import PX, REPO, MemoEmbedder, fewshot, load, px_codebook
from pxtextmining_finetune_v5_probe import finetune

from lived_experience.coding.fewshot import FewShotCoder, best_cut


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fold", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--cache", type=Path, default=REPO / "out" / "embeddings.sqlite")
    args = parser.parse_args()

    import torch
    from sklearn.metrics import f1_score
    from sklearn.model_selection import KFold

    torch.manual_seed(0)
    torch.set_num_threads(2)
    texts, y, names = load(PX)
    book = px_codebook(names)
    frozen = MemoEmbedder(args.cache)
    train, test = list(KFold(5, shuffle=True, random_state=0).split(texts))[args.fold]
    order = np.random.default_rng(0).permutation(train)
    fit_rows, val_rows = (
        np.sort(order[: int(0.8 * len(order))]),
        np.sort(order[int(0.8 * len(order)) :]),
    )

    def pick(rows: np.ndarray) -> list[str]:
        return [texts[i] for i in rows]

    def macro(predicted: np.ndarray) -> float:
        return round(float(f1_score(y[test], predicted, average="macro", zero_division=0)), 4)

    def cut_on_val(val_scores: np.ndarray, test_scores: np.ndarray) -> float:
        cuts = np.array([best_cut(y[val_rows, j], val_scores[:, j]) for j in range(y.shape[1])])
        return macro(test_scores >= cuts)

    start = time.perf_counter()
    result: dict[str, float] = {}
    result["v2_frozen"] = macro(
        fewshot(book, frozen, pick(train), y[train], pick(test), "fewshot_coder.v2")
    )
    print(result, f"{time.perf_counter() - start:.0f}s", flush=True)

    model, head = finetune(pick(fit_rows), y[fit_rows], args.epochs, bucketed=False)
    print(f"fine-tuned: {time.perf_counter() - start:.0f}s", flush=True)

    def encode(rows: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return model.encode(pick(rows), batch_size=64, normalize_embeddings=True)

    fit_e, val_e, test_e = encode(fit_rows), encode(val_rows), encode(test)
    with torch.no_grad():
        head_val = torch.sigmoid(head(torch.tensor(val_e) * 10)).numpy()
        head_test = torch.sigmoid(head(torch.tensor(test_e) * 10)).numpy()
    result["ft_head"] = cut_on_val(head_val, head_test)
    tuned = (
        dict(zip(pick(fit_rows), fit_e, strict=True))
        | dict(zip(pick(val_rows), val_e, strict=True))
        | dict(zip(pick(test), test_e, strict=True))
    )

    class Tuned:
        def embed(self, batch_texts: list[str]) -> np.ndarray:
            return np.vstack([tuned[t] for t in batch_texts])

    ids = book.code_ids
    for name, embedder in (("frozen", frozen), ("ft", Tuned())):
        coder = FewShotCoder(book, embedder=embedder, use_codebook=False)  # type: ignore[arg-type]
        vectorisers, x, labels = coder._design(
            pick(fit_rows), [{ids[j] for j in np.flatnonzero(r)} for r in y[fit_rows]]
        )
        state = {"vectorisers": vectorisers, "models": coder._fit_models(x, labels)}
        val_scores = coder._answer_scores(state, pick(val_rows))
        test_scores = coder._answer_scores(state, pick(test))
        result[f"v2head_{name}_8020"] = cut_on_val(val_scores, test_scores)
        result[f"ens_{name}+fthead"] = cut_on_val(
            (val_scores + head_val) / 2, (test_scores + head_test) / 2
        )
    print(json.dumps(result), f"{time.perf_counter() - start:.0f}s", flush=True)


if __name__ == "__main__":
    main()
