"""A searchable table of the main graph's nodes (op, name, inputs, outputs, attributes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import onnx
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from onnxstudio.core.values import as_text

_Index = QModelIndex | QPersistentModelIndex
_DEBOUNCE_ROWS = 20_000  # from this many nodes the filter waits for a pause in typing


def attribute_text(attr: onnx.AttributeProto) -> str:
    """``name=value`` with tensors and graphs summarised instead of dumped."""
    return f"{as_text(attr.name)}={_attribute_value(attr)}"


def _attribute_value(attr: onnx.AttributeProto) -> str:
    kind = attr.type
    A = onnx.AttributeProto
    if kind == A.TENSOR:
        return f"tensor{list(attr.t.dims)}"
    if kind == A.GRAPH:
        return f"<graph {as_text(attr.g.name)} ({len(attr.g.node)} nodes)>"
    if kind == A.GRAPHS:
        return f"<{len(attr.graphs)} graphs>"
    if kind == A.TENSORS:
        return f"<{len(attr.tensors)} tensors>"
    try:
        value: Any = onnx.helper.get_attribute_value(attr)
    except Exception:
        return "?"
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, list) and len(value) > 16:
        value = f"[{', '.join(map(str, value[:16]))}, … {len(value)} values]"
    return str(value)


class NodeTableModel(QAbstractTableModel):
    COLUMNS = (QT_TRANSLATE_NOOP("NodeTableModel", "Op"), QT_TRANSLATE_NOOP("NodeTableModel", "Name"),
               QT_TRANSLATE_NOOP("NodeTableModel", "Inputs"), QT_TRANSLATE_NOOP("NodeTableModel", "Outputs"),
               QT_TRANSLATE_NOOP("NodeTableModel", "Attributes"))

    def __init__(self) -> None:
        super().__init__()
        self._nodes: Sequence[onnx.NodeProto] = []
        self._cache: dict[int, tuple[str, ...]] = {}

    def set_nodes(self, nodes: Sequence[onnx.NodeProto]) -> None:
        """``nodes``: the graph's own repeated field is fine (a row's node is read when the row is shown)."""
        self.beginResetModel()
        self._nodes = nodes
        self._cache = {}
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._nodes)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.COLUMNS)

    def row_text(self, row: int) -> tuple[str, ...]:
        cached = self._cache.get(row)
        if cached is None:
            n = self._nodes[row]
            domain, op_type = as_text(n.domain), as_text(n.op_type)  # names that are not UTF-8 come as bytes
            op = op_type if domain in ("", "ai.onnx") else f"{domain}::{op_type}"
            cached = (op, as_text(n.name), ", ".join(map(as_text, n.input)), ", ".join(map(as_text, n.output)),
                      "; ".join(attribute_text(a) for a in n.attribute))
            self._cache[row] = cached
        return cached

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.row_text(index.row())[index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            from PySide6.QtCore import QCoreApplication

            return QCoreApplication.translate("NodeTableModel", self.COLUMNS[section])
        return super().headerData(section, orientation, role)


class _Filter(QSortFilterProxyModel):
    needle = ""

    def filterAcceptsRow(self, row: int, parent: _Index) -> bool:
        needle = self.needle
        if not needle:
            return True
        model = self.sourceModel()
        assert isinstance(model, NodeTableModel)
        return any(needle in text.lower() for text in model.row_text(row))


class NodeListPanel(QWidget):
    """Stands in for the graph view: filter by any text (op, name, tensor, attribute)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = NodeTableModel()
        self.proxy = _Filter()  # attached to the model only while a filter is typed (see _on_search)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Filter nodes by op, name, tensor or attribute…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_typed)
        self._typed = QTimer(self)  # on large graphs a filter pass costs ~0.3 s: one per pause in typing
        self._typed.setSingleShot(True)
        self._typed.setInterval(250)
        self._typed.timeout.connect(lambda: self._on_search(self.search.text()))
        self.count_label = QLabel()
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((130, 180, 220, 180)):
            self.table.setColumnWidth(col, width)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

    def set_nodes(self, nodes: Sequence[onnx.NodeProto]) -> None:
        """``nodes``: ``LoadedModel.nodes`` (a row's node is read when the row is shown)."""
        self.model.set_nodes(nodes)
        self._on_search(self.search.text())

    def show_row(self, row: int) -> None:
        """Select node ``row`` among all nodes and scroll to it (no filter pass: a graph selection at 100k nodes
        would otherwise filter every row on the GUI thread)."""
        if self.search.text():
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self._on_search("")
        if 0 <= row < self.model.rowCount():
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0), QTableView.ScrollHint.PositionAtCenter)

    def clear(self) -> None:
        self.model.set_nodes([])
        self._on_search("")

    def _on_typed(self, text: str) -> None:
        if self.model.rowCount() > _DEBOUNCE_ROWS and text:
            self._typed.start()
        else:
            self._typed.stop()
            self._on_search(text)

    def _on_search(self, text: str) -> None:
        """Without a filter the table shows the nodes directly: the proxy would call back into Python for every
        row (~0.1 s at 100k nodes, on the GUI thread) only to accept them all."""
        self.proxy.needle = text.strip().lower()
        if self.proxy.needle:
            if self.proxy.sourceModel() is not self.model:
                self.proxy.setSourceModel(self.model)  # filtered once, when first asked (not re-filtered)
            else:
                self.proxy.invalidate()
            if self.table.model() is not self.proxy:
                self.table.setModel(self.proxy)
            shown = self.proxy.rowCount()
        else:  # detached too: a proxy on the model re-filters every row whenever the model is reset
            if self.table.model() is not self.model:
                self.table.setModel(self.model)
            if self.proxy.sourceModel() is not None:
                self.proxy.setSourceModel(None)
            shown = self.model.rowCount()
        self.count_label.setText(self.tr("{0} of {1} nodes").format(shown, self.model.rowCount()))
