"""Live charts: bounded work per batch and per frame, overlays, statistics."""

from __future__ import annotations

import time

import numpy as np

from onnxstudio.core.engine import BenchmarkResult, TimingBatch
from onnxstudio.core.history import RunRecord
from onnxstudio.core.stats import LatencyStats
from onnxstudio.ui.chart_buffers import Envelope
from onnxstudio.ui.timing_charts import TimingCharts


def test_envelope_is_bounded_and_keeps_peaks() -> None:
    env = Envelope(max_buckets=256, median_window=8)
    rng = np.random.default_rng(0)
    data = np.empty(0)
    for _ in range(50):
        data = np.concatenate([data, rng.random(3000)])
        env.update(data)
    data[77_777] = 50.0
    env2 = Envelope(max_buckets=256, median_window=8)
    env2.update(data)
    for e in (env, env2):
        assert e.x.n <= 256 and e.bucket >= 512
        assert np.all(np.diff(e.x.view) > 0)
    xs, ys = env2.band()
    assert env2.top.view.max() == 50.0
    assert ys.max() < 50.0 and xs.size == 2 * env2.x.n
    assert 0.3 < np.median(env2.med.view) < 0.7


def test_a_long_run_stays_fluid(qtbot) -> None:
    charts = TimingCharts()
    qtbot.addWidget(charts)
    charts.resize(1000, 600)
    charts.show()
    charts.begin("test")
    rng = np.random.default_rng(1)
    charts.add_batch(TimingBatch("warmup", 0, np.full(10, 0.02), 0.01))
    worst = 0.0
    for i in range(60):  # 60 batches of 4096: ~250k iterations
        lat = 0.006 + rng.exponential(0.002, 4096)
        t = time.perf_counter()
        charts.add_batch(TimingBatch("measure", i * 4096, lat, i * 0.05))
        charts._redraw()
        worst = max(worst, time.perf_counter() - t)
    assert charts.lat.n == 60 * 4096 and charts.warmup_count == 10
    assert charts.curve.getData()[0].size <= 2 * charts.envelope.max_buckets
    assert charts.peaks.getData()[0].size <= charts.envelope.max_buckets
    assert worst < 0.25, f"a batch + frame took {worst * 1000:.0f} ms"
    assert charts.stat_labels["count"].text() != "–"
    lat_all = charts.lat.view.copy()
    stats = LatencyStats.from_ms(lat_all)
    charts.finish(BenchmarkResult(stats, 1.0, 2.0, lat_all.size, ("CPUExecutionProvider",), False, 0, False,
                                  lat_all))
    assert charts.stat_labels["median"].text().endswith("µs")
    assert charts.curve.getData()[0].size > 0
    charts.latency_plot.setXRange(1000, 1100, padding=0)
    charts._draw_finished()  # what the zoom timer does
    x, top = charts.peaks.getData()
    assert x[0] >= 999 and x.size >= 100 and np.allclose(top[1:50], lat_all[int(x[1]):int(x[1]) + 49])
    rec = RunRecord(1, "benchmark", "m.onnx", ("CPUExecutionProvider",), latencies_ms=lat_all[:1000])
    charts.set_overlays([rec])
    assert len(charts._overlay_items) == 1 and len(charts._hist_overlays) == 1
    charts.set_overlays([])
    assert charts._overlay_items == []
