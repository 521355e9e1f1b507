"""Latency statistics (pure numpy)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

PERCENTILES = {"p90": 90.0, "p95": 95.0, "p99": 99.0, "p999": 99.9}


@dataclass(frozen=True)
class LatencyStats:
    """Statistics of per-iteration latencies in milliseconds; ``throughput_per_s`` is 1000 / mean."""

    count: int
    min: float
    mean: float
    median: float
    p90: float
    p95: float
    p99: float
    p999: float
    max: float
    std: float
    cv: float
    throughput_per_s: float

    @classmethod
    def from_ms(cls, latencies_ms: np.ndarray | list[float]) -> LatencyStats:
        arr = np.asarray(latencies_ms, dtype=np.float64)
        if arr.size == 0:
            nan = float("nan")
            return cls(0, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, 0.0)
        mean = float(arr.mean())
        pct = np.percentile(arr, [50.0, *PERCENTILES.values()])
        std = float(arr.std())
        return cls(
            count=int(arr.size),
            min=float(arr.min()),
            mean=mean,
            median=float(pct[0]),
            p90=float(pct[1]),
            p95=float(pct[2]),
            p99=float(pct[3]),
            p999=float(pct[4]),
            max=float(arr.max()),
            std=std,
            cv=std / mean if mean > 0 else float("nan"),
            throughput_per_s=1000.0 / mean if mean > 0 else 0.0,
        )

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


def rolling_median(values: np.ndarray, window: int) -> np.ndarray:
    """Median of the last ``window`` values at each position (shorter windows at the start)."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.size == 0 or window <= 1:
        return arr.copy()
    window = min(window, arr.size)
    from numpy.lib.stride_tricks import sliding_window_view

    full = np.median(sliding_window_view(arr, window), axis=1)
    head = np.array([np.median(arr[: i + 1]) for i in range(window - 1)])
    return np.concatenate([head, full])


def format_ms(v: float | None, missing: str = "") -> str:
    """A time in milliseconds as a person reads it: ``812.4 µs`` under a millisecond, else ``3.142 ms``."""
    if v is None or not math.isfinite(v):
        return missing
    return f"{v * 1000:.1f} µs" if v < 1 else f"{v:.3f} ms"
