"""Embeddings: the vectors a face, speaker or sentence encoder gives, read as such — their length (L2 norm) and
how alike two of them are (cosine similarity), the way such a model is tested. Qt-free."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from onnxstudio.core.outputs import MAX_ROWS, as_plain
from onnxstudio.core.values import is_embedding

MAX_COMPARED = 64  # rows whose pairwise similarities are listed


@dataclass(frozen=True)
class VectorSummary:
    """``rows`` vectors of ``size`` values: each one's L2 norm, and (2 to MAX_COMPARED rows) their pairwise
    cosine similarities."""

    rows: int
    size: int
    norms: tuple[float, ...]
    similarity: tuple[tuple[float, ...], ...] | None

    @property
    def unit(self) -> bool:
        """Whether every vector is already of length 1 (the model normalises its output)."""
        return unit_length(self.norms)

    def to_dict(self) -> dict:
        d: dict = {"rows": self.rows, "size": self.size, "l2_norms": list(self.norms)}
        if self.similarity is not None:
            d["cosine_similarity"] = [list(r) for r in self.similarity]
        return d


def unit_length(norms: Sequence[float | None]) -> bool:
    """Whether every one of these L2 norms is 1 (within 1e-3); a NaN one (None in JSON) is not."""
    return all(n is not None and abs(n - 1.0) <= 1e-3 for n in norms)


def vector_rows(value: np.ndarray) -> np.ndarray | None:
    """[rows, size] float64 vectors of a tensor with one or two dims over 1 (a batch's rows first), size >= 2;
    None for other tensors (a feature map [1, C, H, W] is no vector)."""
    arr = as_plain(np.asarray(value))
    if arr.dtype.kind not in "biuf" or arr.size < 2:
        return None
    dims = [d for d in arr.shape if d != 1]
    if len(dims) == 1:
        return arr.reshape(1, -1).astype(np.float64)
    if len(dims) == 2 and dims[0] <= MAX_ROWS and dims[1] >= 2:
        return arr.reshape(dims).astype(np.float64)
    return None


def cosine(a: np.ndarray, b: np.ndarray) -> float | None:
    """The cosine similarity of two vectors of the same size; None where either is all zeros or not finite."""
    a, b = np.asarray(a, np.float64).ravel(), np.asarray(b, np.float64).ravel()
    if a.shape != b.shape:
        return None
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if not (np.isfinite(na) and np.isfinite(nb)) or na == 0.0 or nb == 0.0:
        return None
    return float(np.clip(np.dot(a, b) / (na * nb), -1.0, 1.0))


def similarity_matrix(rows: np.ndarray) -> np.ndarray:
    """Pairwise cosine similarities of [n, size] vectors (0 where a row is all zeros, NaN where one holds NaN or
    infinity)."""
    with np.errstate(invalid="ignore", over="ignore"):
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        unit = np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)
        unit[~np.isfinite(norms[:, 0])] = np.nan
        return np.clip(unit @ unit.T, -1.0, 1.0)


def summarize(value: np.ndarray, rows: np.ndarray | None = None) -> VectorSummary | None:
    """An embedding output's norms and, for a batch, its rows' similarities; None where it holds no vectors
    (``rows``: its :func:`vector_rows`, where the caller has them already)."""
    rows = vector_rows(value) if rows is None else rows
    if rows is None:
        return None
    norms = tuple(float(n) for n in np.linalg.norm(rows, axis=1))
    sim = None
    if 2 <= len(rows) <= MAX_COMPARED:
        sim = tuple(tuple(float(v) for v in r) for r in similarity_matrix(rows))
    return VectorSummary(len(rows), rows.shape[1], norms, sim)


def embedding_output(name: str, value: np.ndarray) -> bool:
    """Whether an output is read as embeddings: its name says so and it holds vectors."""
    return is_embedding(name) and vector_rows(value) is not None
