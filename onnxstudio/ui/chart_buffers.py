"""Qt-free buffers behind the live charts: growing arrays and a bounded min/max envelope with medians.

Drawing cost must not grow with the run: the envelope keeps at most ``max_buckets`` buckets (each the min and
max of ``bucket`` consecutive latencies and the rolling median at its end); when full, neighbours merge and the
bucket size doubles. Each batch costs time proportional to its own size only.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


class Growing:
    """An append-only float64 buffer that doubles its capacity."""

    def __init__(self, capacity: int = 4096) -> None:
        self.data = np.empty(capacity)
        self.n = 0

    def extend(self, values: np.ndarray) -> None:
        need = self.n + values.size
        if need > self.data.size:
            grown = np.empty(max(need, 2 * self.data.size))
            grown[: self.n] = self.data[: self.n]
            self.data = grown
        self.data[self.n:need] = values
        self.n = need

    def replace(self, values: np.ndarray) -> None:
        self.n = 0
        self.extend(values)

    @property
    def view(self) -> np.ndarray:
        return self.data[: self.n]

    def clear(self) -> None:
        self.n = 0


BAND = (5.0, 95.0)  # percentiles drawn as the band of each bucket; the bucket's maximum is drawn as a dot


def bucket_summary(seg: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row of ``seg`` (buckets x values): band low, band high, maximum."""
    if seg.shape[1] == 1:
        col = seg[:, 0]
        return col, col, col
    # Big buckets: the band from a strided sample of each (what is drawn is a few pixels wide anyway);
    # the maximum always from every value.
    sample = seg[:, :: max(1, seg.shape[1] // 128)]
    lo, hi = np.percentile(sample, BAND, axis=1)
    return lo, hi, seg.max(axis=1)


def slice_envelope(raw: np.ndarray, start: int, stop: int, max_buckets: int = 1024
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x, band low, band high, max) of ``raw[start:stop]`` in at most ``max_buckets`` buckets; one bucket per
    iteration when few enough are in view (so zooming in shows every iteration)."""
    start, stop = max(0, int(start)), min(raw.size, int(stop))
    if stop <= start:
        empty = np.empty(0)
        return empty, empty, empty, empty
    b = max(1, -(-(stop - start) // max_buckets))
    k = (stop - start) // b
    seg = raw[start: start + k * b].reshape(k, b)
    lo, hi, top = bucket_summary(seg)
    return start + np.arange(k, dtype=np.float64) * b, lo, hi, top


class Envelope:
    def __init__(self, max_buckets: int = 2048, median_window: int = 64) -> None:
        self.max_buckets = max_buckets
        self.window = median_window
        self.x = Growing(max_buckets + 8)
        self.lo = Growing(max_buckets + 8)
        self.hi = Growing(max_buckets + 8)
        self.top = Growing(max_buckets + 8)
        self.med = Growing(max_buckets + 8)
        self.clear()

    @property
    def _arrays(self) -> tuple[Growing, ...]:
        return (self.x, self.lo, self.hi, self.top, self.med)

    def clear(self) -> None:
        self.bucket = 1
        self.done = 0  # raw values consumed into complete buckets
        for g in self._arrays:
            g.clear()

    def update(self, raw: np.ndarray) -> None:
        """Consume the complete buckets of ``raw`` (all latencies so far) not yet consumed."""
        b = self.bucket
        k = (raw.size - self.done) // b
        if k <= 0:
            return
        seg = raw[self.done: self.done + k * b].reshape(k, b)
        ends = self.done + (np.arange(k) + 1) * b - 1
        lo, hi, top = bucket_summary(seg)
        self.x.extend(self.done + np.arange(k, dtype=np.float64) * b)
        self.lo.extend(lo)
        self.hi.extend(hi)
        self.top.extend(top)
        self.med.extend(self._medians(raw, ends))
        self.done += k * b
        while self.x.n > self.max_buckets:
            self._merge()

    def _medians(self, raw: np.ndarray, ends: np.ndarray) -> np.ndarray:
        w = self.window
        out = np.empty(ends.size)
        full = ends >= w - 1
        if full.any():
            out[full] = np.median(sliding_window_view(raw, w)[ends[full] - (w - 1)], axis=1)
        for i in np.flatnonzero(~full):
            out[i] = np.median(raw[: ends[i] + 1])
        return out

    def _merge(self) -> None:
        """Halve the bucket count; the band of two buckets is approximated by the mean of their bands."""
        n = self.x.n - (self.x.n % 2)
        tail = slice(n, self.x.n)
        x, lo, hi, top, med = (g.view for g in self._arrays)
        merged = (
            np.concatenate([x[:n:2], x[tail]]),
            np.concatenate([(lo[:n:2] + lo[1:n:2]) / 2, lo[tail]]),
            np.concatenate([(hi[:n:2] + hi[1:n:2]) / 2, hi[tail]]),
            np.concatenate([np.maximum(top[:n:2], top[1:n:2]), top[tail]]),
            np.concatenate([med[1:n:2], med[tail]]),
        )
        for g, values in zip(self._arrays, merged, strict=True):
            g.replace(values)
        self.bucket *= 2
        # A partly filled tail bucket keeps its old size; the next update starts on the new size.

    def band(self) -> tuple[np.ndarray, np.ndarray]:
        return band_curve(self.x.view, self.lo.view, self.hi.view)

    def peaks(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x.view, self.top.view

    def median_curve(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x.view, self.med.view


def band_curve(x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One polyline that zig-zags low -> high in every bucket: drawn, it looks like a filled band."""
    xs = np.repeat(x, 2)
    ys = np.empty(2 * x.size)
    ys[0::2] = lo
    ys[1::2] = hi
    return xs, ys
