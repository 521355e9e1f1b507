"""A searchable table of the main graph's nodes (op, name, inputs, outputs, attributes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import onnx
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QHeaderView, QLabel, QLineEdit, QMenu, QTableView, QVBoxLayout, QWidget

from onnxstudio.core.textindex import TextIndex
from onnxstudio.core.values import as_text

_Index = QModelIndex | QPersistentModelIndex
_DEBOUNCE_ROWS = 20_000  # from this many nodes the filter waits for a pause in typing
BACKGROUND_ROWS = 20_000  # from this many nodes the filter's text index is built on a worker thread


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


def node_row(n: onnx.NodeProto) -> tuple[str, ...]:
    """The columns of one node's row: op (``domain::op`` outside the default domain), name, inputs, outputs,
    attributes. Names that are not valid UTF-8 (protobuf hands them back as bytes) are shown with U+FFFD."""
    domain, op_type = as_text(n.domain), as_text(n.op_type)
    op = op_type if domain in ("", "ai.onnx") else f"{domain}::{op_type}"
    return (op, as_text(n.name), ", ".join(map(as_text, n.input)), ", ".join(map(as_text, n.output)),
            "; ".join(attribute_text(a) for a in n.attribute))


def row_index(nodes: Sequence[onnx.NodeProto]) -> TextIndex:
    """Every row's text in one index (columns apart: a filter never matches across two of them)."""
    return TextIndex(["\x01".join(node_row(n)) for n in nodes])


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
            cached = self._cache[row] = node_row(self._nodes[row])
        return cached

    @property
    def nodes(self) -> Sequence[onnx.NodeProto]:
        return self._nodes

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


class _Rows(QAbstractTableModel):
    """The rows of the node table that match a filter (a list of source rows: filtering is one scan of the
    text index, not a Python call per row from Qt)."""

    def __init__(self, source: NodeTableModel) -> None:
        super().__init__()
        self._source = source
        self._rows: list[int] = []

    def set_rows(self, rows: list[int]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return self._source.columnCount()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        return self._source.data(self._source.index(self._rows[index.row()], index.column()), role)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            section = self._rows[section]  # the node's own number, as in the unfiltered table
        return self._source.headerData(section, orientation, role)


class _IndexBuilder(QObject):
    """Builds a large table's text index on its own thread (~1 s at 100k nodes)."""

    built = Signal(int, object)  # generation, TextIndex

    @Slot(int, object)
    def build(self, generation: int, nodes: Sequence[onnx.NodeProto]) -> None:
        try:
            index = row_index(nodes)
        except Exception:  # the nodes went away (a new model): that generation is stale anyway
            index = None
        self.built.emit(generation, index)


class NodeListPanel(QWidget):
    """Stands in for the graph view: filter by any text (op, name, tensor, attribute)."""

    _request_index = Signal(int, object)
    watch_requested = Signal(int)  # "show this node's outputs": its index in the main graph

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = NodeTableModel()
        self.proxy = _Rows(self.model)  # shown while a filter is typed (see _on_search)
        self._index: TextIndex | None = None  # every row's text, built on the first filter
        self._generation = 0  # bumped with each set of nodes: an index built for older nodes is dropped
        self._building = False
        self._menu_node = -1  # the row the context menu was opened on
        self._thread: QThread | None = None  # started for the first large table that is filtered
        self._builder: _IndexBuilder | None = None
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
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((130, 180, 220, 180)):
            self.table.setColumnWidth(col, width)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_menu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

    def set_nodes(self, nodes: Sequence[onnx.NodeProto]) -> None:
        """``nodes``: ``LoadedModel.nodes`` (a row's node is read when the row is shown)."""
        self.model.set_nodes(nodes)
        self._generation += 1
        self._index = None
        self._building = False
        self._on_search(self.search.text())

    def shutdown(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait(10000)
            self._thread = None

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
        self.set_nodes([])

    def node_at(self, row: int) -> int:
        """The node index of a row of the table as shown (filtered or not); -1 for none."""
        if self.table.model() is self.proxy:
            return self.proxy._rows[row] if 0 <= row < len(self.proxy._rows) else -1
        return row if 0 <= row < self.model.rowCount() else -1

    def _on_menu(self, pos: QPoint) -> None:
        node = self.node_at(self.table.indexAt(pos).row())
        if node < 0:
            return
        self._menu_node = node
        menu = QMenu(self)
        menu.addAction(self.tr("Run the model and show this node's outputs"), self._watch_menu_node)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _watch_menu_node(self) -> None:
        self.watch_requested.emit(self._menu_node)

    def _on_typed(self, text: str) -> None:
        if self.model.rowCount() > _DEBOUNCE_ROWS and text:
            self._typed.start()
        else:
            self._typed.stop()
            self._on_search(text)

    def _on_search(self, text: str) -> None:
        """Without a filter the table shows the nodes directly. With one, the rows whose text contains it, found
        by one scan of the text index; a large table's index is built on a worker thread first."""
        needle = text.strip().lower()
        total = self.model.rowCount()
        if not needle:
            if self.table.model() is not self.model:
                self.table.setModel(self.model)
            self.count_label.setText(self.tr("{0} of {1} nodes").format(total, total))
            return
        if self._index is None:
            if total < BACKGROUND_ROWS:
                self._index = row_index(self.model.nodes)
            else:
                self._build_index()
                self.count_label.setText(self.tr("Filtering {0} nodes…").format(total))
                return
        self.proxy.set_rows(self._index.find(needle))
        if self.table.model() is not self.proxy:
            self.table.setModel(self.proxy)
        self.count_label.setText(self.tr("{0} of {1} nodes").format(self.proxy.rowCount(), total))

    def _build_index(self) -> None:
        if self._building:
            return
        if self._thread is None:
            self._thread = QThread(self)
            self._thread.setObjectName("node-filter")
            self._builder = _IndexBuilder()
            self._builder.moveToThread(self._thread)
            self._request_index.connect(self._builder.build)
            self._builder.built.connect(self._on_index_built)
            self._thread.start()
        self._building = True
        self._request_index.emit(self._generation, self.model.nodes)

    @Slot(int, object)
    def _on_index_built(self, generation: int, index: TextIndex | None) -> None:
        if generation != self._generation:
            return
        self._building = False
        self._index = index if index is not None else TextIndex([])
        self._on_search(self.search.text())
