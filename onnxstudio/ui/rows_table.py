"""A sortable, filterable table of many rows (tens of thousands): the Profile tab's kernels, the Compare tab's
tensors. Rows are sorted and filtered in plain Python over precomputed keys, with a share bar per row."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    Qt,
)
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QHeaderView, QStyledItemDelegate, QStyleOptionViewItem, QTableView, QWidget

_Index = QModelIndex | QPersistentModelIndex
SHARE_ROLE = Qt.ItemDataRole.UserRole + 1  # a row's share (0-1: of the kernels' time, of values that differ)


class RowsModel(QAbstractTableModel):
    """Rows of display values with a sort key and a share per row; sorted and filtered here, in plain Python
    over precomputed keys (a QSortFilterProxyModel calls ``data`` per comparison: 8 s for 100k kernels)."""

    def __init__(self, headers: tuple[str, ...], context: str, parent: QWidget) -> None:
        super().__init__(parent)  # owned by the panel: deleted with it by Qt, on the GUI thread
        self._headers, self._context = headers, context
        self._rows: list[tuple[list[str], list[Any], float]] = []
        self._hay: list[str] = []  # each row's texts, lower case, for the filter
        self._shown: list[int] = []  # the rows shown, in order
        self._filter = ""
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)

    def set_rows(self, rows: list[tuple[list[str], list[Any], float]]) -> None:
        self._rows = rows
        self._hay = ["\t".join(texts).lower() for texts, _, _ in rows]
        self._refresh()

    def set_filter(self, text: str) -> None:
        self._filter = text.strip().lower()
        self._refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self._refresh()

    def source_row(self, row: int) -> int:
        """The index in ``set_rows``' list of the row shown at ``row``."""
        return self._shown[row]

    def _refresh(self) -> None:
        self.beginResetModel()
        f = self._filter
        shown = [i for i, h in enumerate(self._hay) if f in h] if f else list(range(len(self._rows)))
        column, order = self._sort
        if 0 <= column < len(self._headers):
            rows = self._rows
            shown.sort(key=lambda i: rows[i][1][column], reverse=order == Qt.SortOrder.DescendingOrder)
        self._shown = shown
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        texts, keys, share = self._rows[self._shown[index.row()]]
        if role == Qt.ItemDataRole.DisplayRole:
            return texts[index.column()]
        if role == SHARE_ROLE:
            return share
        if role == Qt.ItemDataRole.ToolTipRole:
            return texts[index.column()] or None
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(keys[index.column()], (int, float)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return QCoreApplication.translate(self._context, self._headers[section])
        return None


class ShareBar(QStyledItemDelegate):
    """Draws the row's share as a bar behind the cell's text."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        share = index.data(SHARE_ROLE)
        if isinstance(share, float) and share > 0:
            r = QRectF(option.rect).adjusted(2, 3, -2, -3)
            r.setWidth(max(1.0, r.width() * min(share, 1.0)))
            painter.fillRect(r, QColor(224, 123, 0, 90))
        super().paint(painter, option, index)


def rows_view(model: QAbstractTableModel, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSortingEnabled(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(22)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view
