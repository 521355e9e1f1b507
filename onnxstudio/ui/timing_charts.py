"""Live benchmark charts: latency per iteration with a rolling median, a histogram, and statistics.

Batches arrive about every 50 ms; they are copied into growing numpy buffers (cost proportional to the new
data only) and the plots redraw on a ~30 Hz timer only when something changed. Long runs stay fluid with
pyqtgraph's peak downsampling and clip-to-view; percentiles use a strided sample past 200k iterations while
running (the final statistics are the engine's exact ones).
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QGridLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from onnxstudio.core.engine import BenchmarkResult, TimingBatch
from onnxstudio.core.history import RunRecord
from onnxstudio.core.stats import LatencyStats
from onnxstudio.ui.chart_buffers import Envelope, Growing, band_curve, slice_envelope

MEDIAN_WINDOW = 64
HIST_BINS = 120
STATS_SAMPLE = 50_000
OVERLAY_COLOURS = ("#8e44ad", "#17a589", "#c0392b", "#76b041", "#b7950b", "#ff66b3")


class TimingCharts(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lat = Growing()  # every measured latency (ms); x is the iteration number
        self.envelope = Envelope(max_buckets=1024, median_window=MEDIAN_WINDOW)  # drawn while running
        self.total_ms = 0.0
        self.warmup_count = 0
        self.edges: np.ndarray | None = None
        self.counts = np.zeros(HIST_BINS)
        self.outside = 0
        self.stats: LatencyStats | None = None
        self.session_ms: float | None = None
        self.first_run_ms: float | None = None
        self.elapsed_s = 0.0
        self.running = False
        self.redraw_count = 0
        self._dirty = False
        self._last_stats = 0.0
        self._overlay_items: list[pg.PlotDataItem] = []
        self._label = ""
        self._rebinned_at = 0

        from PySide6.QtWidgets import QApplication

        dark = bool(QApplication.instance() and QApplication.instance().property("onnxstudio_dark"))
        pg.setConfigOptions(antialias=False, background=(30, 32, 36) if dark else "w",
                            foreground=(220, 220, 220) if dark else "k")
        self.latency_plot = pg.PlotWidget()
        # The key is in the title, not a legend item: a legend inside the plot is repainted with every frame.
        self.latency_plot.setTitle(self.tr("Latency per iteration: <span style='color:#7f9fe0'>p5–p95 band</span>, "
                                           "<span style='color:#4a6fb5'>maximum (dots)</span>, "
                                           "<span style='color:#e8590c'>rolling median ({0})</span>")
                                   .format(MEDIAN_WINDOW))
        self.latency_plot.setLabel("left", self.tr("latency (ms)"))
        self.latency_plot.setLabel("bottom", self.tr("iteration"))
        # Per bucket of iterations: a light p5-p95 band, the maximum as a dot (every spike survives
        # downsampling), the rolling median drawn strong on top. Opaque pens: alpha blending costs frames.
        self.curve = self.latency_plot.plot(pen=pg.mkPen("#a9c0ee", width=1))
        self.peaks = self.latency_plot.plot(pen=None, symbol="o", symbolSize=3, symbolPen=None,
                                            symbolBrush="#4a6fb5")
        self.median_curve = self.latency_plot.plot(pen=pg.mkPen("#e8590c", width=2))
        for item in (self.curve, self.peaks, self.median_curve):
            item.setClipToView(True)
        # After a run, zooming recomputes the buckets of the visible range (down to single iterations).
        self._zoom_timer = QTimer(self, singleShot=True, interval=60)
        self._zoom_timer.timeout.connect(self._draw_finished)
        self.latency_plot.sigXRangeChanged.connect(lambda *_: None if self.running else self._zoom_timer.start())
        self.hist_plot = pg.PlotWidget()
        self.hist_plot.setTitle(self.tr("Latency histogram"))
        self.hist_plot.setLabel("bottom", self.tr("latency (ms)"))
        self.hist_plot.setLabel("left", self.tr("share of iterations"))
        for plot in (self.latency_plot, self.hist_plot):
            for axis in ("left", "bottom"):
                plot.getAxis(axis).enableAutoSIPrefix(False)
        # Ranges are set by hand and move in steps (x grows by 1.5x, y changes only past 25 %), so the axes
        # are not regenerated on every frame; y follows the bulk of the data (0 .. ~1.5 x p99.5), not the
        # outliers. A manual zoom or pan hands the latency plot back to the user.
        self.robust_y = True
        self._x_max = 0.0
        self._y_max = 0.0
        self._hist_y = 0.0
        self._hist_x = (0.0, 0.0)
        self._y_top = 0.0
        for plot in (self.latency_plot, self.hist_plot):
            plot.disableAutoRange()
        self.latency_plot.getViewBox().sigRangeChangedManually.connect(self._on_manual_range)
        self.hist_curve = self.hist_plot.plot(stepMode="center", fillLevel=0, brush="#a9c0ee",
                                              pen=pg.mkPen("#3b6fd8"))
        self._hist_overlays: list[pg.PlotDataItem] = []

        self.stat_labels: dict[str, QLabel] = {}
        grid = QGridLayout()
        names = [("count", self.tr("Iterations")), ("mean", self.tr("Mean")), ("median", self.tr("p50")),
                 ("p90", self.tr("p90")), ("p99", self.tr("p99")), ("throughput", self.tr("Throughput")),
                 ("cv", self.tr("CV")), ("session", self.tr("Session creation")),
                 ("first", self.tr("First run")), ("elapsed", self.tr("Elapsed"))]
        for i, (key, title) in enumerate(names):
            t = QLabel(title)
            t.setEnabled(False)
            v = QLabel("–")
            v.setObjectName(f"stat_{key}")
            v.setStyleSheet("font-size: 12pt; font-weight: 600;")
            v.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(t, 2 * (i // 5), i % 5)
            grid.addWidget(v, 2 * (i // 5) + 1, i % 5)
            self.stat_labels[key] = v
        self.status = QLabel(self.tr("Press Benchmark to measure the open model."))
        self.status.setWordWrap(True)  # a failed run's message is long: wrapped, it cannot widen the window
        plots = QSplitter(Qt.Orientation.Horizontal)
        plots.addWidget(self.latency_plot)
        plots.addWidget(self.hist_plot)
        plots.setSizes([640, 360])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(grid)
        lay.addWidget(self.status)
        lay.addWidget(plots, 1)
        self.plots = plots
        self.timer = QTimer(self)
        self.timer.setInterval(33)
        self.timer.timeout.connect(self._redraw)
        self.timer.start()

    # -- data in ------------------------------------------------------------------------------------------
    def begin(self, label: str) -> None:
        self.lat.clear()
        self.envelope.clear()
        self.total_ms = 0.0
        self.warmup_count = 0
        self.edges = None
        self.counts = np.zeros(HIST_BINS)
        self.outside = 0
        self._rebinned_at = 0
        self.robust_y = True
        self._x_max = self._y_max = self._hist_y = self._y_top = 0.0
        self._hist_x = (0.0, 0.0)
        self.stats = None
        self.session_ms = self.first_run_ms = None
        self.elapsed_s = 0.0
        self.running = True
        self.status.setText(self.tr("{0}: creating the session…").format(label))
        self._label = label
        self._dirty = True

    def set_session_ms(self, ms: float) -> None:
        self.session_ms = ms
        self._dirty = True

    def add_batch(self, batch: TimingBatch) -> None:
        lat = batch.latencies_ms
        self.elapsed_s = batch.elapsed_s
        if batch.phase != "measure":
            self.warmup_count += lat.size
            self._dirty = True
            return
        self.lat.extend(lat)
        self.total_ms += float(lat.sum())
        self.envelope.update(self.lat.view)
        self._add_histogram(lat)
        self._dirty = True

    def _add_histogram(self, lat: np.ndarray) -> None:
        if self.edges is None:
            self._rebin(lat)
            return
        c, _ = np.histogram(lat, bins=self.edges)
        self.counts += c
        self.outside += lat.size - int(c.sum())
        n = self.lat.n
        # Edges from the first batch can be poor; redo them when the data doubled (amortised O(1)) or
        # when too much falls outside.
        if (n < 65536 and n >= 2 * self._rebinned_at) or (n > 1000 and self.outside > 0.02 * n):
            self._rebin(self.lat.view)

    def _rebin(self, data: np.ndarray) -> None:
        lo, hi = np.percentile(data, [0.1, 99.5]) if data.size > 20 else (data.min(), data.max())
        span = max(hi - lo, 1e-6)
        self.edges = np.linspace(max(0.0, lo - 0.1 * span), hi + 0.5 * span, HIST_BINS + 1)
        c, _ = np.histogram(data, bins=self.edges)
        self.counts = c.astype(np.float64)
        self.outside = data.size - int(c.sum())
        self._rebinned_at = data.size

    def finish(self, result: BenchmarkResult) -> None:
        self.running = False
        self.stats = result.stats
        if result.stats.count:
            self._y_top = self._robust_top(result.stats)
            self._y_max = 0.0  # re-fit the axis to the final statistics
            if self.robust_y and self.lat.n:
                self._x_max = self.lat.n * 1.02
                self.latency_plot.setXRange(0, self._x_max, padding=0)
        self.session_ms = result.session_create_ms
        self.first_run_ms = result.first_run_ms
        state = self.tr("stopped") if result.cancelled else self.tr("done")
        self.status.setText(self.tr("{0}: {1}, {2} iterations on {3}").format(
            self._label, state, result.iterations, ", ".join(result.providers)))
        self._dirty = True
        self._last_stats = 0.0
        self._redraw()

    def abort(self, message: str) -> None:
        self.running = False
        self.status.setText(message)
        self._dirty = True

    # -- overlays -----------------------------------------------------------------------------------------
    def set_overlays(self, records: list[RunRecord]) -> dict[int, str]:
        """Draw earlier runs for comparison; returns the colour of each (run id -> colour) for a key."""
        for item in self._overlay_items:
            self.latency_plot.removeItem(item)
        for item in self._hist_overlays:
            self.hist_plot.removeItem(item)
        self._overlay_items, self._hist_overlays = [], []
        colours: dict[int, str] = {}
        for i, rec in enumerate(r for r in records if r.latencies_ms is not None and r.latencies_ms.size):
            colour = OVERLAY_COLOURS[i % len(OVERLAY_COLOURS)]
            colours[rec.run_id] = colour
            lat = rec.latencies_ms
            # An earlier run is compared by its rolling median (its raw band would hide the current run).
            env = Envelope(median_window=MEDIAN_WINDOW)
            env.update(lat)
            item = self.latency_plot.plot(*env.median_curve(), pen=pg.mkPen(colour, width=2))
            item.setClipToView(True)
            self._overlay_items.append(item)
            lo, hi = np.percentile(lat, [0.1, 99.5])
            counts, edges = np.histogram(lat, bins=HIST_BINS, range=(lo, hi + 1e-9))
            h = self.hist_plot.plot(edges, counts / max(1, lat.size), stepMode="center",
                                    pen=pg.mkPen(colour, width=2))
            self._hist_overlays.append(h)
        self._dirty = True
        lengths = [r.latencies_ms.size for r in records if r.latencies_ms is not None and r.latencies_ms.size]
        if lengths and self.robust_y:
            tops = [self._robust_top(LatencyStats.from_ms(r.latencies_ms)) * 1.15 for r in records
                    if r.latencies_ms is not None and r.latencies_ms.size]
            self._x_max = max(self._x_max, max(lengths) * 1.05)
            self._y_max = max([self._y_max, *tops])
            self.latency_plot.setXRange(0, self._x_max, padding=0.01)
            self.latency_plot.setYRange(0, self._y_max, padding=0)
        return colours

    @staticmethod
    def _robust_top(s: LatencyStats) -> float:
        """Top of the latency axis: the bulk of the iterations, not the outliers (zoom out to see those)."""
        return float(max(1.5 * s.p99, 3.0 * s.median))

    def _draw_finished(self) -> None:
        """Buckets of the visible iterations only (one per iteration once zoomed in far enough)."""
        if self.running or self.lat.n == 0:
            return
        (x0, x1), _ = self.latency_plot.viewRange()
        if x0 <= 0 and x1 >= self.lat.n - 1:  # everything in view: the run's own buckets will do
            self.curve.setData(*self.envelope.band())
            self.peaks.setData(*self.envelope.peaks())
            return
        width = max(200, self.latency_plot.width())
        x, lo, hi, top = slice_envelope(self.lat.view, int(x0) - 1, int(x1) + 2, max_buckets=width)
        self.curve.setData(*band_curve(x, lo, hi))
        self.peaks.setData(x, top)

    def _on_manual_range(self, *_: object) -> None:
        self.robust_y = False

    def _follow_ranges(self, n: int, lo: float, hi: float, peak: float) -> None:
        if self.robust_y:
            if n > self._x_max:
                self._x_max = max(100.0, n * 1.5)
                self.latency_plot.setXRange(0, self._x_max, padding=0.01)
            top = self._y_top or hi
            if not 0.75 * self._y_max <= top <= self._y_max:
                self._y_max = top * 1.15
                self.latency_plot.setYRange(0, self._y_max, padding=0)
        if (lo, hi) != self._hist_x:
            self._hist_x = (lo, hi)
            self.hist_plot.setXRange(lo, hi, padding=0)
        if not 0.6 * self._hist_y <= peak <= self._hist_y:
            self._hist_y = max(peak * 1.25, 1e-6)
            self.hist_plot.setYRange(0, self._hist_y, padding=0)

    # -- drawing ------------------------------------------------------------------------------------------
    def _live_stats(self) -> LatencyStats | None:
        n = self.lat.n
        if n == 0:
            return None
        data = self.lat.view
        sample = data if n <= STATS_SAMPLE else data[:: n // STATS_SAMPLE + 1]
        s = LatencyStats.from_ms(sample)
        self._y_top = self._robust_top(s)
        mean = self.total_ms / n
        return replace(s, count=n, mean=mean, throughput_per_s=1000.0 / mean if mean > 0 else 0.0)

    def _redraw(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        self.redraw_count += 1
        n = self.lat.n
        if self.running or n == 0:
            # Bounded work per frame: the envelope has at most ~1000 buckets whatever the run's length.
            self.curve.setData(*self.envelope.band())
            self.peaks.setData(*self.envelope.peaks())
        else:
            self._draw_finished()
        self.median_curve.setData(*self.envelope.median_curve())
        if self.edges is not None and n:
            share = self.counts / n
            self.hist_curve.setData(self.edges, share)
            self._follow_ranges(n, float(self.edges[0]), float(self.edges[-1]), float(share.max()))
        else:
            self.hist_curve.setData([0, 1], [0])
        now = time.perf_counter()
        if self.running and now - self._last_stats > 0.25:
            self._last_stats = now
            self._show_stats(self._live_stats())
            if n:
                self.status.setText(self.tr("{0}: measuring… {1:,} iterations").format(self._label, n))
            elif self.warmup_count:
                self.status.setText(self.tr("{0}: warming up… {1:,} iterations").format(
                    self._label, self.warmup_count))
        elif not self.running:
            self._show_stats(self.stats)

    def _show_stats(self, s: LatencyStats | None) -> None:
        def ms(v: float | None) -> str:
            if v is None or not np.isfinite(v):
                return "–"
            return f"{v * 1000:.1f} µs" if v < 1 else f"{v:.2f} ms"

        lab = self.stat_labels
        lab["session"].setText(ms(self.session_ms))
        lab["first"].setText(ms(self.first_run_ms))
        lab["elapsed"].setText(f"{self.elapsed_s:.1f} s" if self.elapsed_s else "–")
        if s is None or s.count == 0:
            for key in ("count", "mean", "median", "p90", "p99", "throughput", "cv"):
                lab[key].setText("–")
            return
        lab["count"].setText(f"{s.count:,}")
        lab["mean"].setText(ms(s.mean))
        lab["median"].setText(ms(s.median))
        lab["p90"].setText(ms(s.p90))
        lab["p99"].setText(ms(s.p99))
        lab["throughput"].setText(self.tr("{0:,.0f} /s").format(s.throughput_per_s))
        lab["cv"].setText(f"{s.cv * 100:.1f} %" if np.isfinite(s.cv) else "–")

    def save_png(self, path: str) -> bool:
        return self.plots.grab().save(path)
