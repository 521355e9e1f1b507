"""A benchmark sweep's results: a row per value of the swept dim, and latency and throughput against it."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from onnxstudio.core.sweep import SweepPoint


def _ms(v: float) -> str:
    return "" if not math.isfinite(v) else f"{v:.4f}" if v < 10 else f"{v:.2f}" if v < 1000 else f"{v:,.0f}"


def _cell(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class SweepView(QWidget):
    COLUMNS = ("", QT_TRANSLATE_NOOP("SweepView", "Iterations"), QT_TRANSLATE_NOOP("SweepView", "Median ms"),
               "p90 ms", "p99 ms", QT_TRANSLATE_NOOP("SweepView", "Runs/s"), QT_TRANSLATE_NOOP("SweepView", "Items/s"),
               QT_TRANSLATE_NOOP("SweepView", "ms/item"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[SweepPoint] = []
        self.dim = ""
        self.batch = False
        self.note = QLabel(self.tr("Choose a free dim under Sweep (batch, a sequence length) and its values, then "
                                   "Benchmark: each value is benchmarked in turn in one session."))
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.latency = pg.PlotWidget()
        self.latency.setLabel("left", self.tr("latency (ms)"))
        self.latency.showGrid(x=True, y=True, alpha=0.2)
        self.latency.addLegend(offset=(10, 5))
        self.throughput = pg.PlotWidget()
        self.throughput.showGrid(x=True, y=True, alpha=0.2)
        self.median_curve = self.latency.plot([], [], pen=pg.mkPen("#3b6fd8", width=2), symbol="o", symbolSize=6,
                                              symbolBrush="#3b6fd8", name=self.tr("median"))
        self.p99_curve = self.latency.plot([], [], pen=pg.mkPen("#e07b00", width=1.5, style=Qt.PenStyle.DashLine),
                                           symbol="t", symbolSize=6, symbolBrush="#e07b00", name="p99")
        self.throughput_curve = self.throughput.plot([], [], pen=pg.mkPen("#2e9e5b", width=2), symbol="o",
                                                     symbolSize=6, symbolBrush="#2e9e5b")
        charts = QHBoxLayout()
        charts.addWidget(self.latency)
        charts.addWidget(self.throughput)
        left = QVBoxLayout()
        lay = QHBoxLayout(self)
        left.addWidget(self.note)
        left.addWidget(self.table, 1)
        lay.addLayout(left, 1)
        lay.addLayout(charts, 1)
        self._set_headers()

    def _set_headers(self) -> None:
        names = [self.dim or self.tr("value")] + [self.tr(c) if c else c for c in self.COLUMNS[1:]]
        self.table.setHorizontalHeaderLabels(names)
        for col in (6, 7):
            self.table.setColumnHidden(col, not self.batch)
        for plot in (self.latency, self.throughput):
            plot.setLabel("bottom", self.dim or self.tr("value"))
        self.throughput.setLabel("left", self.tr("items/s") if self.batch else self.tr("runs/s"))

    def begin(self, dim: str, batch: bool) -> None:
        self.points, self.dim, self.batch = [], dim, batch
        self.table.setRowCount(0)
        self.note.setText(self.tr("Sweeping {0}: each value is benchmarked in turn with the settings above.")
                          .format(dim))
        self._set_headers()
        self._redraw()

    def add_point(self, point: SweepPoint) -> None:
        self.points.append(point)
        s = point.result.stats
        row = self.table.rowCount()
        self.table.insertRow(row)
        cells = [f"{point.value:,}", f"{point.result.iterations:,}", _ms(s.median), _ms(s.p90), _ms(s.p99),
                 f"{s.throughput_per_s:,.1f}", f"{point.items_per_s:,.1f}",
                 _ms(s.median / point.value) if point.value else ""]
        for col, text in enumerate(cells):
            self.table.setItem(row, col, _cell(text))
        self._redraw()
        if len(self.points) >= 2 and self.batch:
            best = max(self.points, key=lambda p: p.items_per_s if math.isfinite(p.items_per_s) else -1.0)
            self.note.setText(self.tr("Sweeping {0}: the most items per second so far at {0} = {1} ({2:,.1f}/s, "
                                      "{3:.3f} ms a run).").format(self.dim, best.value, best.items_per_s,
                                                                  best.result.stats.median))

    def _redraw(self) -> None:
        x = np.array([p.value for p in self.points], np.float64)
        self.median_curve.setData(x, np.array([p.result.stats.median for p in self.points], np.float64))
        self.p99_curve.setData(x, np.array([p.result.stats.p99 for p in self.points], np.float64))
        y = [p.items_per_s if self.batch else p.result.stats.throughput_per_s for p in self.points]
        self.throughput_curve.setData(x, np.array(y, np.float64))
