"""The Compare tab: the current inputs through a second session (unoptimized, another provider, another model)
and, per output, how far apart the two are; layer by layer, every tensor inside and where the difference starts.
A thin view of :mod:`onnxstudio.core.compare` and :mod:`onnxstudio.core.layers`."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QDoubleValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from onnxstudio.core.compare import ATOL, RTOL, CompareResult, OutputDiff, diff_map
from onnxstudio.core.layers import LayerReport
from onnxstudio.core.providers import display_name
from onnxstudio.ui.icons import icon
from onnxstudio.ui.rows_table import RowsModel, ShareBar, rows_view

UNOPTIMIZED, OTHER_MODEL = "unoptimized", "model"
NOT_LOCAL = frozenset({"AzureExecutionProvider"})  # sends requests to an endpoint: runs no model here


def _num(v: float | None, fmt: str = ".3g") -> str:
    return "" if v is None or not math.isfinite(v) else format(v, fmt)


def _key(v: float | None) -> float:
    """A sort key for a statistic that may be missing or NaN (last)."""
    return v if v is not None and math.isfinite(v) else math.inf


class ComparePanel(QWidget):
    """``compare_requested``: the Compare button (the workspace builds B's session and runs both)."""

    compare_requested = Signal()
    node_requested = Signal(int)  # a compared tensor's node (its index in A's main graph) to show in the graph

    LAYER_COLUMNS = (QT_TRANSLATE_NOOP("ComparePanel", "#"), QT_TRANSLATE_NOOP("ComparePanel", "Node"),
                     QT_TRANSLATE_NOOP("ComparePanel", "Op"), QT_TRANSLATE_NOOP("ComparePanel", "Tensor"), "",
                     QT_TRANSLATE_NOOP("ComparePanel", "Max abs diff"),
                     QT_TRANSLATE_NOOP("ComparePanel", "Max rel diff"), QT_TRANSLATE_NOOP("ComparePanel", "Cosine"),
                     QT_TRANSLATE_NOOP("ComparePanel", "Outside tolerance"))

    COLUMNS = (QT_TRANSLATE_NOOP("ComparePanel", "Output"), "", QT_TRANSLATE_NOOP("ComparePanel", "Max abs diff"),
               QT_TRANSLATE_NOOP("ComparePanel", "Mean abs diff"), QT_TRANSLATE_NOOP("ComparePanel", "Max rel diff"),
               QT_TRANSLATE_NOOP("ComparePanel", "Cosine"), QT_TRANSLATE_NOOP("ComparePanel", "Outside tolerance"),
               QT_TRANSLATE_NOOP("ComparePanel", "Best class agrees"),
               QT_TRANSLATE_NOOP("ComparePanel", "Largest difference"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: CompareResult | None = None
        self.against = QComboBox()
        self.against.setToolTip(self.tr("What the current session (A) is compared with (B), on the same inputs"))
        self.model_path = QLineEdit()
        self.model_path.setPlaceholderText(self.tr("a model taking the same inputs (an int8 copy, an older "
                                                   "export)"))
        self.browse = QPushButton(self.tr("Browse…"))
        self.browse.clicked.connect(self._browse)
        self.rtol = QLineEdit(f"{RTOL:g}")
        self.atol = QLineEdit(f"{ATOL:g}")
        for edit, tip in ((self.rtol, self.tr("Relative tolerance: |A - B| may reach atol + rtol × |B|")),
                          (self.atol, self.tr("Absolute tolerance"))):
            edit.setValidator(QDoubleValidator(0.0, 1e9, 12, edit))
            edit.setMaximumWidth(70)
            edit.setToolTip(tip)
        self.layers_box = QCheckBox(self.tr("Layer by layer"))
        self.layers_box.setToolTip(self.tr(
            "Also compare every tensor inside the model (each node's outputs made outputs of the model) and find "
            "the first that differs: where the difference starts. Slower, and onnxruntime cannot fuse across the "
            "exposed tensors"))
        self.button = QPushButton(icon("compare"), self.tr("Compare"))
        self.button.setToolTip(self.tr("Run the inputs on A and on B and compare every output"))
        self.button.clicked.connect(self.compare_requested)
        self.against.currentIndexChanged.connect(self._on_against)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Compare with")))
        top.addWidget(self.against)
        top.addWidget(self.model_path, 4)
        top.addWidget(self.browse)
        top.addStretch(1)
        top.addWidget(QLabel("rtol"))
        top.addWidget(self.rtol)
        top.addWidget(QLabel("atol"))
        top.addWidget(self.atol)
        top.addWidget(self.layers_box)
        top.addWidget(self.button)
        self.summary = QLabel(self.tr("Run the current inputs on a second session and see how far apart the outputs "
                                      "are: the same model unoptimized, on another execution provider, or another "
                                      "model (fp32 against int8)."))
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) if c else "" for c in self.COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._on_row)
        self.where = QLabel()
        self.where.setEnabled(False)
        self.map_host = QWidget()
        QVBoxLayout(self.map_host).setContentsMargins(0, 0, 0, 0)
        self.map_view: QWidget | None = None
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.where)
        bl.addWidget(self.map_host, 1)
        self.layers_summary = QLabel()
        self.layers_summary.setWordWrap(True)
        self.layers_summary.setTextFormat(Qt.TextFormat.RichText)
        self.layers_filter = QLineEdit()
        self.layers_filter.setPlaceholderText(self.tr("Filter tensors by node, op or name"))
        self.layers_filter.setClearButtonEnabled(True)
        self.layers_model = RowsModel(self.LAYER_COLUMNS, "ComparePanel", self)
        self.layers_filter.textChanged.connect(self.layers_model.set_filter)
        self.layers_view = rows_view(self.layers_model, self)
        self.layers_view.setItemDelegateForColumn(8, ShareBar(self.layers_view))
        self.layers_view.setToolTip(self.tr("Double-click a tensor to see its node in the graph"))
        self.layers_view.doubleClicked.connect(self._on_layer_activated)
        self.layers_host = QWidget()
        ll = QVBoxLayout(self.layers_host)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.layers_summary)
        ll.addWidget(self.layers_filter)
        ll.addWidget(self.layers_view, 1)
        self.layers_host.hide()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.layers_host)
        split.addWidget(bottom)
        split.setSizes([200, 320, 260])
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(split, 1)
        self.set_providers([])

    # -- choices --------------------------------------------------------------------------------------------
    def set_providers(self, available: list[str]) -> None:
        """The choices for B: the model unoptimized, on each provider available here, or another model."""
        current = self.against.currentData()
        self.against.blockSignals(True)
        self.against.clear()
        self.against.addItem(self.tr("the same model, unoptimized"), UNOPTIMIZED)
        for name in available:
            if name in NOT_LOCAL:
                continue
            self.against.addItem(self.tr("the same model on {0}").format(display_name(name)), name)
        self.against.addItem(self.tr("another model"), OTHER_MODEL)
        i = self.against.findData(current)
        self.against.setCurrentIndex(max(i, 0))
        self.against.blockSignals(False)
        self._on_against()

    def _on_against(self, _index: int = 0) -> None:
        other = self.against.currentData() == OTHER_MODEL
        self.model_path.setVisible(other)
        self.browse.setVisible(other)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Model to compare with"), self.model_path.text(),
                                              self.tr("ONNX models (*.onnx);;All files (*)"))
        if path:
            self.model_path.setText(path)

    def choice(self) -> str:
        """UNOPTIMIZED, OTHER_MODEL or a provider's name."""
        return str(self.against.currentData())

    def tolerances(self) -> tuple[float, float]:
        def value(edit: QLineEdit, default: float) -> float:
            try:
                v = float(edit.text())
            except ValueError:
                return default
            return v if v >= 0 and math.isfinite(v) else default

        return value(self.rtol, RTOL), value(self.atol, ATOL)

    def set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)

    def clear(self) -> None:
        self.result = None
        self.table.setRowCount(0)
        self.layers_model.set_rows([])
        self.layers_host.hide()
        self._show_map(None, "")

    def _show_map(self, data: np.ndarray | None, text: str) -> None:
        """|A - B| of the selected output as a heat map (pyqtgraph, imported on first use)."""
        if self.map_view is not None:
            self.map_view.hide()
            self.map_view.deleteLater()
            self.map_view = None
        self.where.setText(text)
        if data is not None:
            from onnxstudio.ui.output_views import heatmap_view

            self.map_view = heatmap_view(data)
            self.map_host.layout().addWidget(self.map_view)

    def _on_row(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if self.result is None or len(rows) != 1:
            return
        d = self.result.diffs[rows.pop()]
        a = next((o.value for o in self.result.a.outputs if o.name == d.name), None)
        b = next((o.value for o in self.result.b.outputs if o.name == d.name), None)
        data = diff_map(a, b)
        if data is not None and not np.any(data):
            self._show_map(None, self.tr("{0}: A and B are equal").format(d.name))
            return
        if data is None or data.size < 2:
            self._show_map(None, self.tr("{0}: no picture of the differences ({1})").format(d.name, d.detail))
            return
        planes = sum(1 for n in data.shape if n != 1) > 2
        text = self.tr("|A − B| of {0} {1}").format(d.name, list(data.shape))
        self._show_map(data, text + (self.tr(" (its first plane)") if planes else ""))

    # -- results --------------------------------------------------------------------------------------------
    def set_result(self, result: CompareResult) -> None:
        self.result = result
        spec = result.spec
        same_model = Path(spec.model_b) == Path(result.model_a)

        def side(res: object, model: str, optimization: str) -> str:
            name = "" if same_model else f"{Path(model).name} "
            return self.tr("{0}on {1} (optimization {2}): {3:.3f} ms").format(
                name, ", ".join(display_name(p) for p in res.session.providers), optimization, res.run_ms)  # type: ignore[attr-defined]

        failed = [d for d in result.diffs if not d.ok]
        if failed:
            verdict = "<b style='color:#c62828'>✗ " + self.tr(
                "{0} of {1} outputs differ beyond rtol {2:g}, atol {3:g}").format(
                len(failed), len(result.diffs), spec.rtol, spec.atol) + "</b>"
        else:
            verdict = "<b style='color:#2e7d32'>✓ " + self.tr("every output within rtol {0:g}, atol {1:g}").format(
                spec.rtol, spec.atol) + "</b>"
        self.summary.setText(f"{verdict}<br>A: {side(result.a, result.model_a, result.config_a.graph_optimization)}<br>"
                             f"B: {side(result.b, spec.model_b, spec.config_b.graph_optimization)}")
        self.table.setRowCount(len(result.diffs))
        for row, d in enumerate(result.diffs):
            self._fill_row(row, d)
        worst = next((i for i, d in enumerate(result.diffs) if not d.ok), 0)
        if result.diffs:
            self.table.selectRow(worst)  # the first output that differs, drawn below
            self._on_row()
        self._set_layers(result.layers)

    def _set_layers(self, report: LayerReport | None) -> None:
        """The tensors compared layer by layer, in node order, the first that differs selected."""
        self.layers_host.setVisible(report is not None)
        if report is None:
            self.layers_model.set_rows([])
            return
        rows = []
        for x in report.layers:
            d = x.diff
            share = d.mismatched / d.size if d.size else 0.0
            outside = f"{d.mismatched:,} / {d.size:,}" if d.size else ""
            rows.append(([str(x.node), x.node_name, x.op, d.name, "✓" if d.ok else "✗", _num(d.max_abs),
                          _num(d.max_rel), _num(d.cosine, ".6f"), outside],
                         [x.node, x.node_name, x.op, d.name, d.ok, _key(d.max_abs), _key(d.max_rel),
                          _key(d.cosine), share], share))
        self.layers_model.set_rows(rows)
        self.layers_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        for col, w in enumerate((50, 220, 90, 220, 24, 90, 90, 90)):
            self.layers_view.setColumnWidth(col, w)
        head = self.tr("{0} tensors compared layer by layer, {1} differ").format(
            f"{len(report.layers):,}", f"{report.differing:,}")
        if report.only_a or report.only_b:
            head += " " + self.tr("({0} only in A, {1} only in B)").format(f"{report.only_a:,}", f"{report.only_b:,}")
        first = report.first
        if first is not None:
            head = "<b style='color:#c62828'>" + self.tr("The difference starts at node #{0} {1} ({2}): {3}").format(
                first.node, first.node_name or "–", first.op, first.diff.detail) + "</b><br>" + head
            row = report.layers.index(first)
            self.layers_view.selectRow(row)
            self.layers_view.scrollTo(self.layers_model.index(row, 0))
        elif report.layers:
            head = "<b style='color:#2e7d32'>" + self.tr("Every tensor agrees") + "</b><br>" + head
        notes = list(report.notes) + [self.tr(
            "Exposed tensors keep onnxruntime from fusing across them: this run may differ less than the outputs "
            "above.")]
        self.layers_summary.setText(head + "<br><small>" + "<br>".join(notes) + "</small>")

    def _on_layer_activated(self, index: QModelIndex) -> None:
        report = self.result.layers if self.result is not None else None
        if report is not None and index.isValid():
            self.node_requested.emit(report.layers[self.layers_model.source_row(index.row())].node)

    def _fill_row(self, row: int, d: OutputDiff) -> None:
        agree = ""
        if d.agreement is not None:
            agree = self.tr("{0:.1%} of {1}").format(d.agreement, self.tr("pixels") if d.agreement_of == "pixels"
                                                     else self.tr("rows"))
        where = ""
        if d.worst_index is not None and d.worst_a is not None and d.worst_b is not None and d.max_abs:
            where = self.tr("at {0}: A {1:.6g}, B {2:.6g}").format(list(d.worst_index), d.worst_a, d.worst_b)
        elif not d.ok:
            where = d.detail
        outside = f"{d.mismatched:,} / {d.size:,}" if d.size else ""
        cells = [d.name, "✓" if d.ok else "✗", _num(d.max_abs), _num(d.mean_abs), _num(d.max_rel),
                 _num(d.cosine, ".6f"), outside, agree, where]
        for col, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(d.detail)
            if col == 1:
                item.setForeground(QColor("#2e7d32" if d.ok else "#c62828"))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            elif 2 <= col <= 6:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, col, item)
