"""Class scores by row: a batch of classifications ([N, C]), a text line's characters per time step ([T, 1, C]),
tokens' tags ([1, T, C]). Each row's best classes, and the greedy CTC reading of an OCR recogniser. Qt-free."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from onnxstudio.core.outputs import (
    BLANK,
    MAX_ROW_SCORES,
    MAX_ROWS,
    as_plain,
    fit_labels,
    label_of,
    scores_type,
    softmax,
    top_k,
)


@dataclass(frozen=True)
class RowTop:
    """Row ``row``'s best classes, best first: indices, labels, raw scores and probabilities."""

    row: int
    indices: tuple[int, ...]
    labels: tuple[str, ...]
    scores: tuple[float, ...]
    probabilities: tuple[float, ...]


def row_scores(value: np.ndarray) -> np.ndarray | None:
    """[rows, classes] float64 scores of a tensor with exactly two dims over 1 (the last of them the classes),
    or None where it has another shape."""
    arr = as_plain(np.asarray(value))
    if not scores_type(arr.dtype) or arr.size == 0:  # an empty output (Trilu of [0, 5]) has no best class
        return None
    dims = [d for d in arr.shape if d != 1]
    if len(dims) != 2 or dims[0] > MAX_ROWS or dims[0] * dims[1] > MAX_ROW_SCORES:
        return None
    return arr.reshape(dims).astype(np.float64)


def distance_rows(value: object, others: Iterable[tuple[str, object]]) -> np.ndarray | None:
    """[rows, classes] float64 scores that rank lowest first, or None: another output of the model, named as a
    label or a cluster, gives each row the class whose score is the lowest, where that is not the highest
    (scikit-learn's KMeans converted by skl2onnx: its ``label`` is the ArgMin of ``scores``, each row's distances
    to the centres). Their softmax would name the farthest centre. ``others``: the outputs, (name, value)."""
    if not isinstance(value, np.ndarray) or value.dtype.kind != "f" or value.ndim not in (1, 2) or value.size < 2:
        return None
    scores = value.reshape(1, -1) if value.ndim == 1 else value
    if scores.shape[1] < 2 or scores.shape[0] > MAX_ROWS or not np.isfinite(scores).all():
        return None
    lowest, highest = scores.argmin(axis=1), scores.argmax(axis=1)
    if not (lowest != highest).any():
        return None
    for name, other in others:
        if (isinstance(other, np.ndarray) and other is not value and other.dtype.kind in "iu"
                and ("label" in name.lower() or "cluster" in name.lower())
                and other.size == scores.shape[0] and np.array_equal(other.reshape(-1), lowest)):
            return scores.astype(np.float64)
    return None


def nearest_classes(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` lowest-scoring classes of [rows, classes] distances, nearest first: (indices, distances)."""
    k = max(1, min(int(k), scores.shape[1]))
    order = np.argsort(scores, axis=1, kind="stable")[:, :k]
    return order, np.take_along_axis(scores, order, 1)


def map_scores(value: object) -> tuple[np.ndarray, list[str]] | None:
    """A classifier's probabilities given as maps, as scikit-learn models converted to ONNX give them (ZipMap: a
    sequence of one ``{class: probability}`` map per row; a lone map for one row): [rows, classes] float64 scores
    and the classes as labels, in the maps' key order; None unless every map has the same keys and numbers."""
    maps = [value] if isinstance(value, dict) else value
    if not isinstance(maps, (list, tuple)) or not maps or not all(isinstance(m, dict) for m in maps):
        return None
    keys = list(maps[0])
    if len(keys) < 2 or any(list(m) != keys for m in maps[1:]):
        return None
    try:
        scores = np.array([[float(m[k]) for k in keys] for m in maps], dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return scores, [k.decode("utf-8", "replace") if isinstance(k, bytes) else str(k) for k in keys]


def probabilities(scores: np.ndarray) -> np.ndarray:
    """Rows that are already distributions (in [0, 1], each summing to 1) as they are, else their softmax."""
    finite = np.isfinite(scores).all()
    sums = scores.sum(axis=-1)
    if finite and scores.min() >= -1e-3 and scores.max() <= 1 + 1e-3 and np.allclose(sums, 1.0, atol=1e-3):
        return scores
    return softmax(scores, axis=-1)


def best_classes(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's ``k`` best classes of [rows, classes] scores, best first: (indices, scores, probabilities),
    each [rows, k]."""
    k = max(1, min(int(k), scores.shape[1]))
    if k == 1:
        best = np.argmax(scores, axis=1)[:, None]
    else:  # partition, then order only the k kept
        part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        best = np.take_along_axis(part, np.argsort(-np.take_along_axis(scores, part, 1), 1, kind="stable"), 1)
    return best, np.take_along_axis(scores, best, 1), np.take_along_axis(probabilities(scores), best, 1)


def top_per_row(value: np.ndarray, k: int = 3, labels: list[str] | None = None) -> list[RowTop]:
    """Each row's ``k`` best classes ([] where ``value`` is not rows of class scores)."""
    scores = row_scores(value)
    if scores is None:
        return []
    best, top, probs = best_classes(scores, k)
    names = fit_labels(list(labels or []), scores.shape[1])
    return [RowTop(r, tuple(idx), tuple(label_of(names, i) for i in idx), tuple(sc), tuple(pr))
            for r, (idx, sc, pr) in enumerate(zip(best.tolist(), top.tolist(), probs.tolist(), strict=True))]


def write_best(path: str | Path, scores: np.ndarray, labels: list[str], row_names: list[str] | None = None,
               k: int = 3) -> Path:
    """Each row's ``k`` best classes as a ``.csv`` a spreadsheet opens: ``row`` (its file, where the rows are a
    folder's pictures), then ``class_1, probability_1, score_1``, ... best first."""
    best, top, probs = best_classes(scores, k)
    names = fit_labels(list(labels), scores.shape[1])
    rows = list(row_names) if row_names and len(row_names) == scores.shape[0] else [str(i) for i in
                                                                                    range(scores.shape[0])]
    p = Path(path)
    with p.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["row", *(f"{what}_{j + 1}" for j in range(best.shape[1])
                                  for what in ("class", "probability", "score"))])
        for r, (idx, sc, pr) in enumerate(zip(best.tolist(), top.tolist(), probs.tolist(), strict=True)):
            writer.writerow([rows[r], *(v for i, s_, p_ in zip(idx, sc, pr, strict=True)
                                        for v in (label_of(names, i), f"{p_:.6g}", f"{s_:.6g}"))])
    return p


def scores_each_text(shape: Sequence[int], texts: int) -> bool:
    """Whether an output of ``shape`` scores each text of a batch of ``texts`` (CLIP's ``logits_per_image``
    [images, texts]): two dims, the last the texts' count, the first another batch's; its classes are then the
    texts. An output a row per text ([texts, classes]) is not."""
    return texts > 1 and len(shape) == 2 and shape[1] == texts and shape[0] != texts


_CTC_VOCABULARY_MAX = 5000  # characters: a multilingual speech model's; a language model's tokens are 30k+


def speech_vocabulary(names: Sequence[str]) -> bool:
    """Whether ``names`` is a Hugging Face CTC tokenizer's vocabulary (wav2vec2, HuBERT, WavLM ship it as
    ``vocab.json``): the pad token first, which the model's CTC head uses as its blank, and ``|`` between words."""
    return bool(names) and names[0] == "<pad>" and "|" in names and len(names) <= _CTC_VOCABULARY_MAX


def ctc_greedy(value: np.ndarray, labels: list[str]) -> str | None:
    """The text an OCR recogniser's or a speech model's [1, T, C] or [T, 1, C] scores spell by greedy CTC decoding
    (best class per step, repeats merged, blanks dropped), where its labels say index 0 is the blank, or are a
    speech model's vocabulary (:func:`speech_vocabulary`: ``|`` is a space, ``<s>``-like special tokens are
    dropped); None otherwise (a batch of classifications, [N, C], is never read as a line even if its labels leave
    out index 0)."""
    scores = row_scores(value) if np.ndim(value) >= 3 else None
    if scores is None:
        return None
    names = fit_labels(list(labels), scores.shape[1])
    speech = speech_vocabulary(names)
    if not names or (names[0] != BLANK and not speech) or len(names) != scores.shape[1]:
        return None
    best = np.argmax(scores, axis=1)
    keep = np.ones(len(best), bool)
    keep[1:] = best[1:] != best[:-1]
    tokens = [names[i] for i in best[keep & (best != 0)].tolist()]
    if not speech:
        return "".join(tokens)
    words = "".join(" " if t == "|" else "" if t.startswith("<") and t.endswith(">") else t for t in tokens)
    return " ".join(words.split())


def class_summary(value: np.ndarray, labels: list[str], k: int = 3, max_rows: int = 1000,
                  distances: np.ndarray | None = None) -> dict | None:
    """What a script wants of a classifier's output: ``top`` (the ``k`` best classes of a score vector) or
    ``top_per_row`` (each row's best class, up to ``max_rows`` rows) and ``ctc_text``; None for other tensors.
    For ``distances`` (:func:`distance_rows` of the value) ``nearest`` (one row's ``k`` nearest classes) or
    ``nearest_per_row``, each with its distance and no probability."""
    if not isinstance(value, np.ndarray):
        return None
    if distances is not None:
        names = fit_labels(list(labels), distances.shape[1])
        idx, dist = nearest_classes(distances[:max_rows], k if distances.shape[0] == 1 else 1)
        found = [[{"index": i, "label": label_of(names, i), "distance": d} for i, d in zip(r, ds, strict=True)]
                 for r, ds in zip(idx.tolist(), dist.tolist(), strict=True)]
        return {"nearest": found[0]} if distances.shape[0] == 1 else {"nearest_per_row": [r[0] for r in found]}
    entries = top_k(value, k, labels or None)
    if entries:
        return {"top": [{"index": e.index, "label": e.label, "score": e.score, "probability": e.probability}
                        for e in entries]}
    scores = row_scores(value)
    if scores is None or scores.shape[1] < 2:
        return None
    rows = top_per_row(scores[:max_rows], 1, labels)
    summary: dict = {"top_per_row": [{"index": r.indices[0], "label": r.labels[0], "score": r.scores[0],
                                      "probability": r.probabilities[0]} for r in rows]}
    text = ctc_greedy(value, labels)
    if text is not None:
        summary["ctc_text"] = text
    return summary
