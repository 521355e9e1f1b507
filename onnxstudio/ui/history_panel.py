"""The session's run history: a table of runs, overlay toggles, and CSV/JSON export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from onnxstudio.core.history import RunHistory, RunRecord
from onnxstudio.core.stats import format_ms
from onnxstudio.ui.icons import icon


class HistoryPanel(QWidget):
    overlays_changed = Signal(list)  # list[RunRecord]
    save_chart_requested = Signal()

    COLUMNS = (QT_TRANSLATE_NOOP("HistoryPanel", "Overlay"), QT_TRANSLATE_NOOP("HistoryPanel", "Run"),
               QT_TRANSLATE_NOOP("HistoryPanel", "Model"), QT_TRANSLATE_NOOP("HistoryPanel", "Provider"),
               QT_TRANSLATE_NOOP("HistoryPanel", "Kind"), QT_TRANSLATE_NOOP("HistoryPanel", "Iterations"),
               QT_TRANSLATE_NOOP("HistoryPanel", "Mean"), "p50", "p90", "p99",
               QT_TRANSLATE_NOOP("HistoryPanel", "Throughput"), QT_TRANSLATE_NOOP("HistoryPanel", "Session"),
               QT_TRANSLATE_NOOP("HistoryPanel", "First run"))

    def __init__(self, history: RunHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemChanged.connect(self._on_item_changed)
        self.export_csv = QPushButton(icon("export"), self.tr("Export CSV…"))
        self.export_json = QPushButton(icon("export"), self.tr("Export JSON…"))
        self.save_chart = QPushButton(icon("image"), self.tr("Save chart as PNG…"))
        self.clear_button = QPushButton(self.tr("Clear"))
        self.export_csv.clicked.connect(lambda: self._export("csv"))
        self.export_json.clicked.connect(lambda: self._export("json"))
        self.save_chart.clicked.connect(self.save_chart_requested)
        self.clear_button.clicked.connect(self.clear)
        self.export_csv.setToolTip(self.tr("Every run of this session with its statistics, as CSV"))
        bar = QHBoxLayout()
        for b in (self.export_csv, self.export_json, self.save_chart):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.clear_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table, 1)
        lay.addLayout(bar)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = len(self.history) > 0
        for b in (self.export_csv, self.export_json, self.clear_button):
            b.setEnabled(has)

    def add(self, record: RunRecord) -> None:
        self.history.add(record)
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        check = QTableWidgetItem()
        check.setData(Qt.ItemDataRole.UserRole, record.run_id)
        if record.latencies_ms is not None and record.latencies_ms.size > 1:
            check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            check.setCheckState(Qt.CheckState.Unchecked)
        else:
            check.setFlags(Qt.ItemFlag.NoItemFlags)
        s = record.stats
        tput = s.get("throughput_per_s")
        values = [f"#{record.run_id}", Path(record.model).name, ", ".join(p.replace("ExecutionProvider", "")
                  for p in record.providers), record.kind, str(record.iterations), format_ms(s.get("mean")),
                  format_ms(s.get("median")), format_ms(s.get("p90")), format_ms(s.get("p99")),
                  f"{tput:,.0f}/s" if tput else "", format_ms(record.session_create_ms), format_ms(record.first_run_ms)]
        self.table.setItem(row, 0, check)
        for col, text in enumerate(values, start=1):
            item = QTableWidgetItem(text)
            item.setToolTip(record.model if col == 2 else text)
            self.table.setItem(row, col, item)
        self.table.blockSignals(False)
        self._update_buttons()

    def checked_records(self) -> list[RunRecord]:
        out = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                rec = self.history.by_id(item.data(Qt.ItemDataRole.UserRole))
                if rec is not None:
                    out.append(rec)
        return out

    def set_overlay(self, run_id: int, on: bool) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == run_id:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def set_colours(self, colours: dict[int, str]) -> None:
        """Mark each overlaid run with its chart colour (the charts have no legend)."""
        from PySide6.QtGui import QBrush, QColor

        self.table.blockSignals(True)
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None:
                colour = colours.get(item.data(Qt.ItemDataRole.UserRole))
                item.setBackground(QBrush(QColor(colour)) if colour else QBrush())
        self.table.blockSignals(False)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == 0:
            self.overlays_changed.emit(self.checked_records())

    def clear(self) -> None:
        self.history.clear()
        self.table.setRowCount(0)
        self._update_buttons()
        self.overlays_changed.emit([])

    def _export(self, fmt: str) -> None:
        filt = self.tr("CSV files (*.csv)") if fmt == "csv" else self.tr("JSON files (*.json)")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export run history"), f"onnxstudio-runs.{fmt}", filt)
        if path:
            if not path.lower().endswith(f".{fmt}"):
                path += f".{fmt}"
            self.history.save(path)
