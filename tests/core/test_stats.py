"""Latency statistics against numpy."""

from __future__ import annotations

import numpy as np
import pytest

from onnxstudio.core.stats import LatencyStats, rolling_median


def test_stats_match_numpy() -> None:
    lat = np.random.default_rng(0).lognormal(0.0, 0.5, 10_001)
    s = LatencyStats.from_ms(lat)
    assert s.count == lat.size
    assert s.min == lat.min() and s.max == lat.max()
    assert s.mean == pytest.approx(lat.mean())
    assert s.median == pytest.approx(np.median(lat))
    for name, q in (("p90", 90), ("p95", 95), ("p99", 99), ("p999", 99.9)):
        assert getattr(s, name) == pytest.approx(np.percentile(lat, q))
    assert s.std == pytest.approx(lat.std())
    assert s.cv == pytest.approx(lat.std() / lat.mean())
    assert s.throughput_per_s == pytest.approx(1000 / lat.mean())


def test_empty_stats_are_nan() -> None:
    s = LatencyStats.from_ms([])
    assert s.count == 0 and np.isnan(s.median) and s.throughput_per_s == 0


def test_rolling_median() -> None:
    values = np.array([5, 1, 3, 100, 2, 2, 2], dtype=float)
    out = rolling_median(values, 3)
    assert out.tolist() == [5, 3, 3, 3, 3, 2, 2]
