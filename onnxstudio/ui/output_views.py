"""Views of one output tensor: top-k classes, image / class mask (blended over the input), heatmap, table."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSlider,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from onnxstudio.core import class_rows
from onnxstudio.core import outputs as out
from onnxstudio.ui.qimage import FitLabel, to_pixmap

_Index = QModelIndex | QPersistentModelIndex


def _k_spin(view: Any, most: int, default: int, prefix: str) -> QSpinBox:
    """"top k": how many classes ``view`` lists (its ``_fill`` runs again on a change)."""
    k = QSpinBox()
    k.setRange(1, max(1, most))
    k.setValue(min(default, k.maximum()))
    k.setPrefix(prefix)
    k.valueChanged.connect(view._fill)
    return k


def _lay_out(view: QWidget, k: QSpinBox, note: QLabel, table: QWidget) -> None:
    """The k box and a note above the table."""
    top = QHBoxLayout()
    top.addWidget(k)
    top.addWidget(note, 1)
    lay = QVBoxLayout(view)
    lay.addLayout(top)
    lay.addWidget(table, 1)


def _note_and_table(note: str, columns: int) -> tuple[QLabel, QTableWidget]:
    """A dimmed note above a read-only table of classes (its first column wide enough for a label)."""
    label = QLabel(note)
    label.setWordWrap(True)
    label.setEnabled(False)
    table = QTableWidget(0, columns)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setStretchLastSection(True)
    table.setColumnWidth(0, 160)
    return label, table


class TopKView(QWidget):
    def __init__(self, value: np.ndarray, labels: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = value
        self.labels = labels
        self.k = _k_spin(self, min(100, int(np.asarray(value).size)), 5, self.tr("top "))
        self.note, self.table = _note_and_table("", 4)
        self.table.setHorizontalHeaderLabels([self.tr("Class"), self.tr("Score"), self.tr("Probability"), ""])
        self.table.verticalHeader().setVisible(False)
        _lay_out(self, self.k, self.note, self.table)
        self._fill()

    def set_labels(self, labels: list[str]) -> None:
        self.labels = labels
        self._fill()

    def _fill(self) -> None:
        entries = out.top_k(self.value, self.k.value(), self.labels or None)
        scores = out.class_scores(self.value)
        is_prob = scores is not None and out.looks_like_probabilities(scores)
        self.note.setText(self.tr("scores are probabilities") if is_prob else
                          self.tr("scores look like logits: probabilities are their softmax"))
        self.table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            self.table.setItem(row, 0, QTableWidgetItem(f"{e.label}" if e.label == str(e.index)
                                                        else f"{out.shown_label(e.label)}  ({e.index})"))
            self.table.setItem(row, 1, QTableWidgetItem(f"{e.score:.5g}"))
            self.table.setItem(row, 2, QTableWidgetItem(f"{e.probability * 100:.2f} %"))
            bar = QProgressBar()
            bar.setRange(0, 1000)
            bar.setValue(round(e.probability * 1000))
            bar.setTextVisible(False)
            bar.setMaximumHeight(14)
            self.table.setCellWidget(row, 3, bar)
        self.table.resizeRowsToContents()

    def top_label(self) -> str:
        entries = out.top_k(self.value, 1, self.labels or None)
        return entries[0].label if entries else ""


class NearestView(QWidget):
    """Distances ranked lowest first ([rows, classes] where another output names each row's lowest: KMeans'
    ``scores``): one row's nearest classes, or each row's nearest and next nearest. No probabilities: a softmax of
    distances would favour the farthest."""

    def __init__(self, distances: np.ndarray, labels: list[str], row_names: list[str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.distances = distances
        self.labels = labels
        self.row_names = row_names if row_names and len(row_names) == distances.shape[0] else None
        one = distances.shape[0] == 1
        self.k = _k_spin(self, distances.shape[1], distances.shape[1] if one else 2,
                         self.tr("nearest ") if one else self.tr("classes per row "))
        self.note, self.table = _note_and_table(self.tr(
            "lowest first: another output names each row's lowest score (distances), so no probabilities"), 2)
        self.table.verticalHeader().setVisible(not one)
        _lay_out(self, self.k, self.note, self.table)
        self._fill()

    def set_labels(self, labels: list[str]) -> None:
        self.labels = labels
        self._fill()

    def _name(self, index: int, names: list[str]) -> str:
        label = out.label_of(names, index)
        return label if label == str(index) else f"{out.shown_label(label)}  ({index})"

    def _fill(self) -> None:
        names = out.fit_labels(list(self.labels), self.distances.shape[1])
        idx, dist = class_rows.nearest_classes(self.distances, self.k.value())
        if self.distances.shape[0] == 1:
            self.table.setColumnCount(2)
            self.table.setHorizontalHeaderLabels([self.tr("Class"), self.tr("Distance")])
            cells = [[self._name(i, names), f"{d:.5g}"] for i, d in zip(idx[0].tolist(), dist[0].tolist(),
                                                                          strict=True)]
        else:
            self.table.setColumnCount(2 + (idx.shape[1] > 1))
            self.table.setHorizontalHeaderLabels([self.tr("Nearest class"), self.tr("Distance"),
                                                  self.tr("Next nearest")])
            cells = [[self._name(r[0], names), f"{ds[0]:.5g}",
                      ", ".join(f"{self._name(i, names)} at {d:.4g}" for i, d in zip(r[1:], ds[1:], strict=True))]
                     for r, ds in zip(idx.tolist(), dist.tolist(), strict=True)]
        self.table.setRowCount(len(cells))
        if len(cells) > 1:
            self.table.setVerticalHeaderLabels(self.row_names or [str(i) for i in range(len(cells))])
        for row, values in enumerate(cells):
            for col, text in enumerate(values[:self.table.columnCount()]):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeRowsToContents()


class ImageOutputView(QWidget):
    """An image-like output, or (``mask``) a class map in palette colours, optionally over the input image."""

    def __init__(self, value: np.ndarray, mask: bool, input_image: np.ndarray | None,
                 labels: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = value
        self.mask = mask
        self.input_image = input_image
        self.picture = FitLabel()
        self.picture.setMinimumSize(200, 200)
        self.blend = QCheckBox(self.tr("Blend over the input image"))
        self.blend.setEnabled(input_image is not None)
        self.blend.setChecked(mask and input_image is not None)
        self.alpha = QSlider(Qt.Orientation.Horizontal)
        self.alpha.setRange(0, 100)
        self.alpha.setValue(50)
        self.alpha.setMaximumWidth(160)
        self.alpha.setToolTip(self.tr("Opacity of the output over the input"))
        self.blend.toggled.connect(self._draw)
        self.alpha.valueChanged.connect(self._draw)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.blend)
        bar.addWidget(self.alpha)
        bar.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.picture, 1)
        lay.addWidget(self.legend)
        if mask:
            classes = out.class_map(value)
            self.rgb = out.colorize(classes)
            present = np.unique(classes)[:24]
            pal = out.class_palette(int(classes.max()) + 1 if classes.size else 1)
            self.legend.setText("  ".join(
                f"<span style='background:rgb{tuple(int(c) for c in pal[i])}'>&nbsp;&nbsp;&nbsp;</span> "
                f"{labels[i] if i < len(labels) else i}" for i in present))
        else:
            self.rgb = out.to_image(value)
        self._draw()

    def _draw(self) -> None:
        img = self.rgb
        if self.blend.isChecked() and self.input_image is not None:
            img = out.blend(self.input_image, img, self.alpha.value() / 100)
        self.current = img
        self.picture.setPixmap(to_pixmap(img, max_side=720, min_side=480))


def heatmap_view(value: np.ndarray) -> QWidget:
    """A 2-D tensor as a colour-mapped image with a colour bar (pyqtgraph imported on first use)."""
    import pyqtgraph as pg

    view = pg.GraphicsLayoutWidget()
    data = out.heatmap_2d(value)
    plot = view.addPlot()
    plot.invertY(True)
    rows, cols = data.shape
    # square cells for picture-like planes; a matrix far from square (boxes x scores, tokens x features) fills
    # the view instead of showing as a thin strip
    plot.setAspectLocked(rows > 1 and cols > 1 and max(rows, cols) <= 4 * min(rows, cols))
    view.image = pg.ImageItem(data.T)
    plot.addItem(view.image)
    finite = data[np.isfinite(data)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    bar = pg.ColorBarItem(values=(lo, hi if hi > lo else lo + 1), colorMap=pg.colormap.get("viridis"))
    bar.setImageItem(view.image, insert_in=plot)
    return view


def channels_view(value: np.ndarray) -> QWidget:
    """Every plane of a [1, C, H, W] tensor side by side (:func:`~onnxstudio.core.outputs.channel_mosaic`), each
    scaled to its own range, numbered where there are few enough to read."""
    import pyqtgraph as pg

    m = out.channel_mosaic(value)
    planes = f"{m.total:,}" if m.shown == m.total else QCoreApplication.translate(
        "OutputViews", "the first {0} of {1}").format(m.shown, f"{m.total:,}")
    note = QLabel(QCoreApplication.translate(
        "OutputViews", "{0} channels of {1} × {2}, each scaled to its own range (dark: its lowest, bright: its "
        "highest)").format(planes, m.height, m.width))
    note.setWordWrap(True)
    view = pg.GraphicsLayoutWidget()
    plot = view.addPlot()
    plot.invertY(True)
    plot.setAspectLocked(True)
    plot.hideAxis("left")
    plot.hideAxis("bottom")
    view.image = pg.ImageItem(m.image.T, levels=(0.0, 1.0))
    view.image.setColorMap(pg.colormap.get("viridis"))
    plot.addItem(view.image)
    if m.shown <= 64:
        for i in range(m.shown):
            r, k = divmod(i, m.columns)
            label = pg.TextItem(str(i), color=(255, 255, 255), anchor=(0, 0))
            label.setPos(k * (m.width + 1), r * (m.height + 1))
            plot.addItem(label)
    host = QWidget()
    lay = QVBoxLayout(host)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(note)
    lay.addWidget(view, 1)
    host.view = view  # type: ignore[attr-defined]
    return host


class _ArrayModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.array = np.zeros((0, 0))

    def set_array(self, array: np.ndarray) -> None:
        self.beginResetModel()
        self.array = array
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else int(self.array.shape[0])

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else int(self.array.shape[1])

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        v = self.array[index.row(), index.column()]
        return f"{v:.6g}" if isinstance(v, (float, np.floating)) else str(v)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return str(section) if role == Qt.ItemDataRole.DisplayRole else None


class _RowsModel(QAbstractTableModel):
    """Each row's best classes: row, best class, its probability and score, the next best ones."""

    def __init__(self) -> None:
        super().__init__()
        self.best = self.scores = self.probs = np.zeros((0, 1))
        self.labels: list[str] = []
        self.headers: list[str] = []
        self.row_names: list[str] = []

    def set_rows(self, best: np.ndarray, scores: np.ndarray, probs: np.ndarray, labels: list[str],
                 headers: list[str]) -> None:
        self.beginResetModel()
        self.best, self.scores, self.probs, self.labels, self.headers = best, scores, probs, labels, headers
        self.endResetModel()

    def _name(self, i: int) -> str:
        label = out.shown_label(out.label_of(self.labels, i))
        return label if label == str(i) else f"{label}  ({i})"

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else int(self.best.shape[0])

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else (3 if self.best.shape[1] == 1 else 4)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        r, c = index.row(), index.column()
        if c == 0:
            return self._name(int(self.best[r, 0]))
        if c == 1:
            return f"{self.probs[r, 0] * 100:.2f} %"
        if c == 2:
            return f"{self.scores[r, 0]:.5g}"
        return ",  ".join(f"{self._name(int(i))} {p * 100:.1f} %" for i, p in zip(self.best[r, 1:], self.probs[r, 1:],
                                                                               strict=True))

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return self.row_names[section] if section < len(self.row_names) else str(section)
        return self.headers[section] if section < len(self.headers) else None


class RowsView(QWidget):
    """Rows of class scores ([N, C], [T, 1, C]): each row's best classes, the best per row in one line and, for
    an OCR recogniser whose labels start with the CTC blank, the text it reads."""

    def __init__(self, value: np.ndarray, labels: list[str], row_names: list[str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = value
        self.scores = class_rows.row_scores(value)
        self.labels = labels
        classes = 0 if self.scores is None else self.scores.shape[1]
        self.k = _k_spin(self, min(10, classes), 3, self.tr("top "))
        self.k.setToolTip(self.tr("How many classes to list per row"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = _RowsModel()
        if row_names and self.scores is not None and len(row_names) == self.scores.shape[0]:
            self.model.row_names = list(row_names)  # a folder's images, in batch order
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().setDefaultSectionSize(20)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setColumnWidth(0, 200)
        _lay_out(self, self.k, self.summary, self.view)
        export = QPushButton(self.tr("Export CSV…"))
        export.setToolTip(self.tr("Each row's best classes as a table: the row (its file), then class, probability "
                                  "and score, best first"))
        export.clicked.connect(self._export)
        export.setEnabled(self.scores is not None)
        self.layout().itemAt(0).layout().addWidget(export)
        self._fill()

    def set_labels(self, labels: list[str]) -> None:
        self.labels = labels
        self._fill()

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the best classes"), "best_classes.csv",
                                              self.tr("CSV tables (*.csv)"))
        if path:
            try:
                self.export_csv(path if path.lower().endswith(".csv") else path + ".csv")
            except OSError as exc:
                QMessageBox.warning(self, self.tr("Export the best classes"), self.tr("Cannot write {0}: {1}").format(
                    path, exc.strerror or exc))

    def export_csv(self, path: str) -> None:
        """The table as shown (the k classes per row) to a ``.csv``."""
        if self.scores is not None:
            class_rows.write_best(path, self.scores, list(self.labels), self.model.row_names or None,
                                  self.k.value())

    def _fill(self) -> None:
        if self.scores is None:
            return
        rows, classes = self.scores.shape
        labels = out.fit_labels(list(self.labels), classes)
        best, top, probs = class_rows.best_classes(self.scores, self.k.value())
        headers = [self.tr("Best class"), self.tr("Probability"), self.tr("Score"), self.tr("Next best")]
        self.model.set_rows(best, top, probs, labels, headers)
        self.view.setColumnWidth(0, 200)
        text = class_rows.ctc_greedy(self.value, list(self.labels))
        if text is not None:
            self.summary.setText(self.tr("{0} rows of {1} classes; read as CTC (blank first): «{2}»")
                                 .format(rows, classes, text))
        elif rows <= 64:
            names = [out.shown_label(out.label_of(labels, i)) for i in best[:, 0].tolist()]
            self.summary.setText(self.tr("{0} rows of {1} classes; best per row: {2}")
                                 .format(rows, classes, ", ".join(names)))
        else:
            self.summary.setText(self.tr("{0} rows of {1} classes").format(rows, classes))

    def best_per_row(self) -> list[int]:
        return [] if self.scores is None else np.argmax(self.scores, axis=1).tolist()


class TableOutputView(QWidget):
    """Values of a 2-D plane; spin boxes pick the plane for tensors of more than two dims."""

    def __init__(self, value: np.ndarray, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = np.asarray(value)
        self.model = _ArrayModel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().setDefaultSectionSize(20)
        self.view.horizontalHeader().setDefaultSectionSize(80)
        self.slicers: list[QSpinBox] = []
        bar = QHBoxLayout()
        if self.value.ndim > 2:
            bar.addWidget(QLabel(self.tr("Slice")))
            for d in range(self.value.ndim - 2):
                s = QSpinBox()
                s.setRange(0, max(0, self.value.shape[d] - 1))
                s.setPrefix(f"[{d}] ")
                s.setToolTip(self.tr("Index along dimension {0} (size {1})").format(d, self.value.shape[d]))
                s.valueChanged.connect(self._update)
                self.slicers.append(s)
                bar.addWidget(s)
            bar.addWidget(QLabel(", :, :"))
        bar.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.view, 1)
        copy = QAction(self.tr("Copy"), self.view)  # Ctrl+C, or the table's menu: the cells for a spreadsheet
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        copy.triggered.connect(self.copy_selection)
        self.view.addAction(copy)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._update()

    def selection_text(self) -> str:
        """The selected cells' block (rows and columns from the first selected to the last) as tab-separated
        lines, each value in full (float32's shortest form that reads back the same)."""
        cells = self.view.selectionModel().selectedIndexes() if self.view.selectionModel() else []
        if not cells:
            return ""
        rows = [i.row() for i in cells]
        cols = [i.column() for i in cells]
        block = np.atleast_2d(self.model.array)[min(rows):max(rows) + 1, min(cols):max(cols) + 1]
        return "\n".join("\t".join(str(v) for v in row) for row in block)

    def copy_selection(self) -> None:
        text = self.selection_text()
        if text:
            QGuiApplication.clipboard().setText(text)

    def _update(self) -> None:
        self.model.set_array(out.slice_2d(self.value, [s.value() for s in self.slicers]))
