"""Regions of a probability map: the connected areas over a threshold, as boxes with their mean probability.

A text detector of the DB family (PaddleOCR, RapidOCR, onnxocr) outputs a [1, 1, H, W] map of "text here"
probabilities; its pipeline thresholds the map, takes each connected area, scores it by its mean probability,
drops weak ones and grows the rest back to the text's size (the model was trained on shrunk regions). Here the
same with axis-aligned boxes, computed on runs of pixels (a few thousand runs for a page, not a Python loop over
every pixel). Qt-free.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from onnxstudio.core.outputs import as_plain

MAX_RUNS = 200_000  # a noise-like map with more runs than this is not a map of regions (and would be slow)
MAX_REGIONS = 1000


@dataclass(frozen=True)
class Region:
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in the map's pixels, grown by the unclip ratio
    score: float  # mean probability over the region's pixels
    pixels: int


def probability_map(value: np.ndarray) -> np.ndarray | None:
    """The [H, W] map of a [1, 1, H, W] float output (a picture's one channel: not a [1, steps, classes] softmax)
    whose values lie in 0-1 and that is mostly background (under half its pixels over 0.3: a page's text, not an
    edge filter's picture); None otherwise."""
    arr = as_plain(np.asarray(value))
    if arr.dtype.kind != "f" or arr.ndim != 4 or arr.shape[:2] != (1, 1) or min(arr.shape[-2:]) < 8:
        return None
    plane = arr.reshape(arr.shape[-2:])
    if not np.isfinite(plane).all() or plane.min() < 0 or plane.max() > 1 or (plane > 0.3).mean() >= 0.5:
        return None
    return plane


def regions(plane: np.ndarray, threshold: float = 0.3, min_score: float = 0.5, unclip: float = 1.5,
            min_side: int = 3) -> list[Region] | None:
    """The connected areas (8-neighbours) of ``plane > threshold`` scoring at least ``min_score``, top to bottom;
    each box grown by ``unclip`` as DB's pipeline does (by area x ratio / perimeter). None when the map holds more
    than :data:`MAX_RUNS` runs of pixels (noise, not regions)."""
    mask = plane > threshold
    edges = np.diff(np.pad(mask, ((0, 0), (1, 1))).astype(np.int8), axis=1)
    rows, starts = np.nonzero(edges == 1)
    _, ends = np.nonzero(edges == -1)  # same order: row by row, left to right; a run is [start, end)
    if len(rows) > MAX_RUNS:
        return None
    if len(rows) == 0:
        return []
    labels = _connect(rows, starts, ends)
    cumulative = np.pad(np.cumsum(plane, axis=1, dtype=np.float64), ((0, 0), (1, 0)))
    sums = cumulative[rows, ends] - cumulative[rows, starts]
    lengths = ends - starts
    n = int(labels.max()) + 1
    total, count = np.zeros(n), np.zeros(n, np.int64)
    np.add.at(total, labels, sums)
    np.add.at(count, labels, lengths)
    x0, y0 = np.full(n, plane.shape[1]), np.full(n, plane.shape[0])
    x1, y1 = np.zeros(n, np.int64), np.zeros(n, np.int64)
    np.minimum.at(x0, labels, starts)
    np.maximum.at(x1, labels, ends)
    np.minimum.at(y0, labels, rows)
    np.maximum.at(y1, labels, rows + 1)
    found = []
    height, width = plane.shape
    for i in np.argsort(y0 * width + x0, kind="stable"):
        w, h = int(x1[i] - x0[i]), int(y1[i] - y0[i])
        score = float(total[i] / count[i])
        if min(w, h) < min_side or score < min_score:
            continue
        grow = w * h * unclip / (2 * (w + h))
        found.append(Region((max(0.0, x0[i] - grow), max(0.0, y0[i] - grow), min(float(width), x1[i] + grow),
                             min(float(height), y1[i] + grow)), score, int(count[i])))
        if len(found) >= MAX_REGIONS:
            break
    return found


def _connect(rows: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """A component number for each run: runs on neighbouring rows that touch (diagonals too) are joined."""
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    bounds = np.searchsorted(rows, np.arange(rows.max() + 2))  # runs of row r: bounds[r]:bounds[r + 1]
    for r in np.unique(rows):
        a, b = bounds[r], bounds[r + 1]
        c, d = bounds[r + 1], bounds[r + 2] if r + 2 < len(bounds) else len(rows)
        j = c
        for i in range(a, b):  # two pointers over the runs of rows r and r + 1, both left to right
            while j < d and ends[j] < starts[i]:  # run j ends before run i starts (with a diagonal's slack)
                j += 1
            k = j
            while k < d and starts[k] <= ends[i]:
                ra, rb = root(i), root(k)
                if ra != rb:
                    parent[rb] = ra
                k += 1
    roots = np.array([root(i) for i in range(len(rows))])
    return np.unique(roots, return_inverse=True)[1]
