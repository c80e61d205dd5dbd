"""Fine-tune the sentence model on the hand-coded sample (``fewshot_coder.v6``).

The few-shot coder up to ``v5`` reads answers through a *frozen* all-MiniLM-L6-v2: the
embedding never learns what this study's codes mean. ``v6`` first fine-tunes a copy of the
model on the hand-coded answers (a linear head over the normalised embedding, one output per
code, multi-label cross-entropy), then fits ``v5`` on top of the tuned embedding. On real NHS
patient comments (pxtextmining, all ~5,900 training comments per fold) that lifts macro F1
from 0.628 to 0.652 (``docs/benchmarks_coding.md``).

What the embedding saw matters for the coder's own estimate of its agreement:

* the inner cross-validation that fits ``v5``'s cuts scores answers whose labels the tuned
  embedding was trained on, so its kappa is optimistic (kept as ``inner_expected_kappa_``);
* so, for samples up to ``nested_estimate_max`` answers (1,000: the sizes a research team
  hand-codes), ``expected_kappa_`` comes from a nested cross-validation in which each fold's
  answers are coded by a model fine-tuned and fitted *without* them: an honest estimate of
  agreement on answers not yet coded. Above that the inner figure is reported, and labelled.

Fine-tuning is seeded and runs on CPU; the same sample, settings and seed give the same
weights, and the vectors of the tuned model are cached on disk under a key that includes a
hash of its weights (a second run of the same training embeds nothing it embedded before).

>>> FineTuning().epochs
2
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lived_experience.coding.embeddings import Embedder, load_sentence_model
from lived_experience.models import resolve_embedding_model

if TYPE_CHECKING:  # pragma: no cover
    from lived_experience.coding.fewshot import FewShotCoder


@dataclass(frozen=True)
class FineTuning:
    """How the sentence model is fine-tuned on the hand-coded sample.

    Parameters
    ----------
    epochs:
        Passes over the sample.
    batch_size:
        Answers per step.
    max_seq_length:
        Word pieces kept per answer (while training and when the tuned model embeds).
    learning_rate, head_learning_rate:
        AdamW learning rates of the encoder and of the linear head (warm-up over the first
        10% of steps, then linear decay to 0).
    length_buckets:
        Batch answers of similar length (sorted within chunks of 50 batches, the batches then
        shuffled): far less padding, about four times faster on CPU than consecutive rows of a
        shuffle.
    seed:
        Seeds the head's initial weights and the order of the answers.
    """

    epochs: int = 2
    batch_size: int = 32
    max_seq_length: int = 128
    learning_rate: float = 5e-5
    head_learning_rate: float = 2e-3
    length_buckets: bool = True
    seed: int = 0


def _batches(lengths: np.ndarray, settings: FineTuning, epoch: int) -> list[np.ndarray]:
    """Row indices of each batch of one epoch (seeded by ``settings.seed`` and ``epoch``)."""
    rng = np.random.default_rng(settings.seed * 1000 + epoch)
    order = rng.permutation(len(lengths))
    size = settings.batch_size
    if not settings.length_buckets:
        return [order[s : s + size] for s in range(0, len(order), size)]
    batches: list[np.ndarray] = []
    for c in range(0, len(order), size * 50):
        chunk = order[c : c + size * 50]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches += [chunk[s : s + size] for s in range(0, len(chunk), size)]
    return [batches[b] for b in rng.permutation(len(batches))]


def fine_tune(
    texts: Sequence[str],
    y: np.ndarray,
    settings: FineTuning | None = None,
    model_path: str | None = None,
) -> Any:
    """A copy of the sentence model at ``model_path`` (default: the shipped MiniLM) fine-tuned
    on ``texts`` and their code matrix ``y`` (answers x codes, 0/1); the loaded model itself is
    never changed. See :func:`fine_tune_with_head`."""
    return fine_tune_with_head(texts, y, settings, model_path)[0]


def fine_tune_with_head(
    texts: Sequence[str],
    y: np.ndarray,
    settings: FineTuning | None = None,
    model_path: str | None = None,
) -> tuple[Any, Any]:
    """The fine-tuned copy of the sentence model and the linear head it was trained with.

    A linear head over the normalised embedding (scaled by 10, as a cosine classifier) gives
    one logit per code; the loss is binary cross-entropy with each code's positives weighted
    by sqrt(negatives / positives), so a rare code is not learned as "never".
    """
    import torch

    settings = settings or FineTuning()
    texts = [str(t) for t in texts]
    y = np.asarray(y, dtype=np.float32).reshape(len(texts), -1)
    torch.manual_seed(settings.seed)
    model = copy.deepcopy(load_sentence_model(resolve_embedding_model(model_path)))
    model.max_seq_length = settings.max_seq_length
    head = torch.nn.Linear(model.get_embedding_dimension(), y.shape[1])
    positives = y.sum(0)
    weight = torch.tensor(
        np.sqrt((len(y) - positives) / np.maximum(positives, 1)), dtype=torch.float32
    )
    optimiser = torch.optim.AdamW(
        [
            {"params": model.parameters(), "lr": settings.learning_rate},
            {"params": head.parameters(), "lr": settings.head_learning_rate},
        ],
        weight_decay=0.01,
    )
    steps = max(1, settings.epochs * -(-len(texts) // settings.batch_size))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser,
        lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps),
    )
    loss_of = torch.nn.BCEWithLogitsLoss(pos_weight=weight)
    lengths = np.array([len(t) for t in texts])
    model.train()
    for epoch in range(settings.epochs):
        for rows in _batches(lengths, settings, epoch):
            features = model.preprocess([texts[i] for i in rows])
            logits = head(model(features)["sentence_embedding"] * 10)
            loss = loss_of(logits, torch.tensor(y[rows], dtype=torch.float32))
            loss.backward()
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
    model.eval()
    return model, head


def weights_digest(model: Any) -> str:
    """A short hash of a model's weights (names, shapes and values), for cache keys."""
    digest = hashlib.sha256()
    for name, tensor in model.state_dict().items():
        digest.update(name.encode("utf-8"))
        digest.update(str(tuple(tensor.shape)).encode("utf-8"))
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()[:16]


class TunedEmbedder(Embedder):
    """Embeddings from a fine-tuned copy of ``base``'s model.

    Vectors are cached in ``base``'s cache file under ``<base key>+tuned-<weights hash>``, so
    they never mix with the frozen model's (the nested estimate's fold models too: the same
    sample and seed give the same weights, so a second run of the same training embeds
    nothing); ``cache_path=False`` keeps them in memory only. A pickled embedder carries the
    tuned weights, not the model object, and rebuilds the model from the installed base when
    unpickled.
    """

    def __init__(
        self, model: Any, base: Embedder, cache_path: str | Path | None | bool = None
    ) -> None:
        path = getattr(base, "model_path", None) or resolve_embedding_model(None)
        cache = base.cache_path if cache_path is None else cache_path
        # without a cache file, vectors are kept in memory (fitting asks for them again)
        uncached = cache is None or cache is False
        super().__init__(path, cache_path=False if cache is None else cache, memo=uncached)
        self.model = model
        self.model_key = f"{base.model_key}+tuned-{weights_digest(model)}"

    @classmethod
    def trained(
        cls,
        base: Embedder,
        texts: Sequence[str],
        y: np.ndarray,
        settings: FineTuning,
        cache_path: str | Path | None | bool = None,
    ) -> TunedEmbedder:
        """Fine-tune ``base``'s model on ``texts`` and ``y`` (see :func:`fine_tune`)."""
        model = fine_tune(texts, y, settings, getattr(base, "model_path", None))
        return cls(model, base, cache_path)

    def sentence_model(self) -> Any:
        return self.model

    def __getstate__(self) -> dict[str, Any]:
        import torch

        state = {k: v for k, v in vars(self).items() if k not in ("model", "_memo")}
        buffer = io.BytesIO()
        torch.save(self.model.state_dict(), buffer)
        state["weights"] = buffer.getvalue()
        state["max_seq_length"] = self.model.max_seq_length
        state["memo"] = self._memo is not None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        import torch

        state = dict(state)
        weights = state.pop("weights")
        max_seq_length = state.pop("max_seq_length")
        self._memo = {} if state.pop("memo") else None
        vars(self).update(state)
        model = copy.deepcopy(load_sentence_model(self.model_path))
        model.load_state_dict(torch.load(io.BytesIO(weights), weights_only=True))
        model.max_seq_length = max_seq_length
        model.eval()
        self.model = model


def _label_matrix(coder: FewShotCoder, label_sets: Sequence[set[str]]) -> np.ndarray:
    return np.array(
        [[c in labels for c in coder.code_ids] for labels in label_sets], dtype=np.float32
    ).reshape(len(label_sets), len(coder.code_ids))


def fit_fine_tuned(
    coder: FewShotCoder, texts: list[str], label_sets: list[set[str]]
) -> tuple[TunedEmbedder, FewShotCoder, tuple[pd.DataFrame, dict[str, float]] | None]:
    """What ``coder.fit`` learns with ``fine_tuning`` set: the embedder fine-tuned on the
    sample, the frozen-embedding coder fitted on it, and (samples up to
    ``nested_estimate_max``) the nested estimate of agreement, or None."""
    settings = coder.fine_tuning or FineTuning()
    tuned = TunedEmbedder.trained(coder.embedder, texts, _label_matrix(coder, label_sets), settings)
    inner = dataclasses.replace(coder, embedder=tuned, fine_tuning=None).fit(texts, label_sets)
    folds = min(coder.folds, len(texts))
    smallest_training_part = len(texts) - -(-len(texts) // folds)
    if len(texts) > coder.nested_estimate_max or smallest_training_part < 10:
        return tuned, inner, None
    return tuned, inner, _nested_estimate(coder, texts, label_sets, settings, folds)


def _nested_estimate(
    coder: FewShotCoder,
    texts: list[str],
    label_sets: list[set[str]],
    settings: FineTuning,
    folds: int,
) -> tuple[pd.DataFrame, dict[str, float]]:
    """Expected agreement measured on answers that neither the fine-tuning nor the fitting saw
    (per-code kappa, and the mean with its interval): each fold coded by a ``v6`` trained on
    the other folds."""
    from sklearn.model_selection import KFold

    from lived_experience.coding.fewshot import agreement_by_code, expected_kappa_interval

    y = _label_matrix(coder, label_sets).astype(bool)
    predicted = np.zeros(y.shape, dtype=bool)
    splitter = KFold(folds, shuffle=True, random_state=coder.random_state)
    for k, (train, test) in enumerate(splitter.split(texts)):
        part = [texts[i] for i in train]
        tuned = TunedEmbedder.trained(
            coder.embedder,
            part,
            y[train].astype(np.float32),
            dataclasses.replace(settings, seed=settings.seed + 1 + k),
        )
        fold_coder = dataclasses.replace(coder, embedder=tuned, fine_tuning=None)
        fold_coder.fit(part, [label_sets[i] for i in train])
        predicted[test] = fold_coder.predict([texts[i] for i in test])
    return (
        agreement_by_code(coder.code_ids, y, predicted),
        expected_kappa_interval(y, predicted, seed=coder.random_state),
    )
