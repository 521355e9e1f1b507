"""What the window shows when no model is open: open, bundled samples, recent files, a drop hint."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from onnxstudio.resources import sample_models
from onnxstudio.ui.icons import app_icon, icon


class StartPage(QWidget):
    open_requested = Signal(str)
    open_dialog_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(QSize(72, 72)))
        title = QLabel(self.tr("ONNX Studio"))
        title.setStyleSheet("font-size: 22pt; font-weight: 600;")
        subtitle = QLabel(self.tr("Inspect, feed, run and benchmark ONNX models on any execution provider."))
        subtitle.setWordWrap(True)
        head_text = QVBoxLayout()
        head_text.addWidget(title)
        head_text.addWidget(subtitle)
        head = QHBoxLayout()
        head.addWidget(logo)
        head.addSpacing(12)
        head.addLayout(head_text, 1)

        self.open_button = QPushButton(icon("open"), self.tr("Open a model…"))
        self.open_button.setIconSize(QSize(22, 22))
        self.open_button.setMinimumHeight(36)
        self.open_button.setToolTip(self.tr("Open an .onnx file (Ctrl+O)"))
        self.open_button.clicked.connect(self.open_dialog_requested)
        hint = QLabel(self.tr("…or drop an .onnx file anywhere on this window."))
        hint.setEnabled(False)

        self.samples = self._list()
        self.recent = self._list()
        samples_box = QGroupBox(self.tr("Bundled samples"))
        QVBoxLayout(samples_box).addWidget(self.samples)
        recent_box = QGroupBox(self.tr("Recent files"))
        QVBoxLayout(recent_box).addWidget(self.recent)
        self.no_recent = QLabel(self.tr("Models you open appear here."))
        self.no_recent.setEnabled(False)
        recent_box.layout().addWidget(self.no_recent)

        lists = QGridLayout()
        lists.addWidget(samples_box, 0, 0)
        lists.addWidget(recent_box, 0, 1)
        lists.setColumnStretch(0, 1)
        lists.setColumnStretch(1, 1)

        inner = QWidget()
        inner.setMaximumWidth(920)
        col = QVBoxLayout(inner)
        col.addLayout(head)
        col.addSpacing(16)
        open_row = QHBoxLayout()
        open_row.addWidget(self.open_button)
        open_row.addWidget(hint, 1)
        col.addLayout(open_row)
        col.addSpacing(12)
        col.addLayout(lists)
        col.addStretch(1)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, 48, 24, 24)
        outer.addStretch(1)
        outer.addWidget(inner, 6)
        outer.addStretch(1)
        self.set_samples(sample_models())

    def _list(self) -> QListWidget:
        w = QListWidget()
        w.setIconSize(QSize(24, 24))
        w.setMinimumHeight(160)
        w.setMaximumHeight(300)
        w.itemActivated.connect(self._on_item)
        w.itemClicked.connect(self._on_item)
        return w

    def _on_item(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if path:
            self.open_requested.emit(path)

    def set_samples(self, paths: list[Path]) -> None:
        self.samples.clear()
        for p in paths:
            item = QListWidgetItem(icon("model"), p.stem.replace("_", " "))
            item.setData(Qt.ItemDataRole.UserRole, str(p))
            item.setToolTip(str(p))
            self.samples.addItem(item)

    def set_recent(self, paths: list[str]) -> None:
        self.recent.clear()
        for p in paths:
            item = QListWidgetItem(icon("model"), f"{Path(p).name}  —  {Path(p).parent}")
            item.setData(Qt.ItemDataRole.UserRole, p)
            item.setToolTip(p)
            if not Path(p).exists():
                item.setForeground(Qt.GlobalColor.gray)
            self.recent.addItem(item)
        self.no_recent.setVisible(not paths)
