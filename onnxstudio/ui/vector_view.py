"""An embedding output: its values drawn as a line per row, each row's L2 norm, the cosine similarity with the
same output of the last run and, for a batch, between its rows (pyqtgraph imported on first use)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from onnxstudio.core import embeddings

MAX_DRAWN = 8  # rows drawn as lines; the rest are in the table
_COLOURS = ("#3b6fd8", "#e8590c", "#2e8b57", "#d64545", "#8e44ad", "#c29d0b", "#0e9aa7", "#7f8c8d")


def _similarity_colour(v: float, floor: float) -> QColor:
    """Green for alike, red for opposite, faint near ``floor``: how far apart two rows are at a glance. Where no
    two rows point apart (ReLU features are all positive), ``floor`` is the least similar pair's value, so the
    pairs still stand apart from each other."""
    c = QColor("#2e8b57") if v >= 0 else QColor("#d64545")
    strength = abs(v) if v < 0 or floor <= 0 else (v - floor) / max(1e-9, 1.0 - floor)
    c.setAlphaF(min(1.0, max(0.0, strength)) * 0.55)
    return c


class VectorView(QWidget):
    """``value``'s rows as vectors; ``previous``: the same output of the last run, compared where the sizes
    match; ``row_names``: the batch's file names."""

    def __init__(self, value: np.ndarray, previous: np.ndarray | None = None, row_names: list[str] | None = None,
                 parent: QWidget | None = None) -> None:
        import pyqtgraph as pg

        super().__init__(parent)
        rows = embeddings.vector_rows(value)
        summary = None if rows is None else embeddings.summarize(value, rows)
        if rows is None or summary is None:
            raise ValueError(self.tr("not a vector"))
        names = row_names if row_names and len(row_names) == len(rows) else \
            [self.tr("row {0}").format(i) for i in range(len(rows))]
        last = embeddings.vector_rows(previous) if previous is not None else None
        self._compared = last is not None and last.shape == rows.shape  # the last run gave a vector like it
        self.similarity_to_last = None
        if last is not None and self._compared and len(rows) == 1:
            self.similarity_to_last = embeddings.cosine(rows[0], last[0])
        self.note = QLabel(self._note(summary, names))
        self.note.setWordWrap(True)
        self.plot = pg.PlotWidget()
        self.plot.setLabel("bottom", self.tr("index"))
        self.plot.setLabel("left", self.tr("value"))
        self.plot.getAxis("left").enableAutoSIPrefix(False)  # "value (x0.001)" reads worse than the values
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setDownsampling(auto=True, mode="peak")  # a long vector draws as fast as a short one
        self.plot.setClipToView(True)
        if len(rows) > 1:
            self.plot.addLegend(offset=(-10, 10))
        for i, row in enumerate(rows[:MAX_DRAWN]):
            self.plot.plot(row, pen=pg.mkPen(_COLOURS[i], width=1), name=names[i] if len(rows) > 1 else None)
        lay = QVBoxLayout(self)
        lay.addWidget(self.note)
        self.table: QTableWidget | None = None
        if summary.similarity is None:
            lay.addWidget(self.plot, 1)
            return
        self.table = self._matrix(summary.similarity, names)
        split = QSplitter()
        split.addWidget(self.plot)
        split.addWidget(self.table)
        split.setSizes([450, 450])
        lay.addWidget(split, 1)

    def _note(self, summary: embeddings.VectorSummary, names: list[str]) -> str:
        norms = ", ".join(f"{n:.4f}" for n in summary.norms[:MAX_DRAWN]) + (", …" if summary.rows > MAX_DRAWN
                                                                             else "")
        if summary.rows == 1:
            text = self.tr("{0} values, L2 norm {1}").format(summary.size, norms)
        else:
            text = self.tr("{0} rows of {1} values, L2 norms {2}").format(summary.rows, summary.size, norms)
        if summary.unit:
            text += " " + self.tr("(unit length)")
        if self.similarity_to_last is not None:
            text += " · " + self.tr("cosine similarity with the last run: {0:.4f}").format(self.similarity_to_last)
        elif summary.rows == 1 and self._compared:
            text += " · " + self.tr("no cosine similarity with the last run (a vector of zeros, NaN or infinity)")
        elif summary.rows == 1:
            text += " · " + self.tr("run again on another input to see how alike the two are")
        return text

    def _matrix(self, sim: tuple[tuple[float, ...], ...], names: list[str]) -> QTableWidget:
        """The rows' pairwise cosine similarities, coloured by how alike."""
        n = len(sim)
        off = [sim[r][c] for r in range(n) for c in range(n) if r != c]
        floor = max(0.0, min(off)) if off else 0.0
        table = QTableWidget(n, n)
        table.setHorizontalHeaderLabels([str(i + 1) for i in range(n)])  # the names once, beside the rows
        table.setVerticalHeaderLabels([f"{i + 1}  {name}" for i, name in enumerate(names)])
        table.setToolTip(self.tr("Cosine similarity between the rows"))
        for r in range(n):
            for c in range(n):
                item = QTableWidgetItem(f"{sim[r][c]:.3f}")
                item.setBackground(QBrush(_similarity_colour(sim[r][c], floor)))
                table.setItem(r, c, item)
        table.resizeColumnsToContents()
        return table
