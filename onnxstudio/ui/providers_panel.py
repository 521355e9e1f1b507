"""Execution-provider picker: every provider, available or not and why, its options and session options."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from onnxstudio.core.engine import SessionInfo
from onnxstudio.core.errors import StudioError
from onnxstudio.core.providers import (
    GRAPH_OPTIMIZATION_LEVELS,
    ProviderInfo,
    SessionConfig,
    list_providers,
    spec_for,
)


class ProvidersPanel(QWidget):
    config_changed = Signal()
    probe_requested = Signal(list)  # provider names in this build to check by creating a session

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.providers: list[ProviderInfo] = []
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Provider"), self.tr("Status")])
        self.tree.setRootIsDecorated(False)
        self.tree.setMinimumHeight(110)
        self.tree.setMaximumHeight(150)
        self.tree.setColumnWidth(0, 190)
        self.tree.currentItemChanged.connect(self._on_current)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.options_form = QFormLayout()
        self.option_edits: dict[str, QLineEdit] = {}
        self.threads = QSpinBox()
        self.threads.setRange(0, 256)
        self.threads.setSpecialValueText(self.tr("default"))
        self.threads.setToolTip(self.tr("Intra-op threads (0: onnxruntime's default, one per physical core)"))
        self.optimization = QComboBox()
        self.optimization.addItems(list(GRAPH_OPTIMIZATION_LEVELS))
        self.optimization.setCurrentText("all")
        self.optimization.setToolTip(self.tr("Graph optimization level"))
        self.parallel = QCheckBox(self.tr("Parallel execution mode"))
        self.fallback = QCheckBox(self.tr("Allow fallback to CPU"))
        self.fallback.setToolTip(self.tr("Accept a session that did not get the chosen provider (always reported)"))
        for w in (self.threads,):
            w.valueChanged.connect(self.config_changed)
        self.optimization.currentIndexChanged.connect(self.config_changed)
        self.parallel.toggled.connect(self.config_changed)
        self.fallback.toggled.connect(self.config_changed)
        self.probe_button = QPushButton(self.tr("Check providers"))
        self.probe_button.setToolTip(self.tr("Create a tiny session with every provider of this onnxruntime build "
                                             "to see which really load here (takes a few seconds)"))
        self.probe_button.clicked.connect(self._on_probe)
        self.probe_results: dict[str, str] | None = None
        self.session_label = QLabel(self.tr("No session yet."))
        self.session_label.setObjectName("sessionLabel")
        self.session_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Threads"), self.threads)
        form.addRow(self.tr("Optimization"), self.optimization)
        form.addRow(self.parallel)
        form.addRow(self.fallback)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tree)
        lay.addWidget(self.probe_button)
        lay.addWidget(self.reason)
        lay.addLayout(self.options_form)
        lay.addLayout(form)
        lay.addWidget(self.session_label)
        self.refresh()

    def _on_probe(self) -> None:
        names = [p.name for p in self.providers if p.in_build and p.name != "CPUExecutionProvider"]
        self.probe_button.setEnabled(False)
        self.probe_button.setText(self.tr("Checking…"))
        self.probe_requested.emit(names)

    def set_probe_results(self, results: dict[str, str]) -> None:
        self.probe_results = dict(results)
        self.probe_button.setEnabled(True)
        self.probe_button.setText(self.tr("Check providers"))
        self.refresh()

    def refresh(self) -> None:
        current = self.provider()
        self.providers = list_providers(self.probe_results)
        self.tree.clear()
        for info in self.providers:
            item = QTreeWidgetItem([info.title, self.tr("available") if info.available else self.tr("unavailable")])
            item.setData(0, Qt.ItemDataRole.UserRole, info.name)
            item.setToolTip(0, info.name)
            item.setToolTip(1, info.reason or self.tr("ready"))
            if not info.available:
                item.setForeground(0, QBrush(QColor("#888888")))
                item.setForeground(1, QBrush(QColor("#b0792b")))
            else:
                item.setForeground(1, QBrush(QColor("#2e9d57")))
            self.tree.addTopLevelItem(item)
        self.select(current or "CPUExecutionProvider")

    def select(self, name: str) -> bool:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == name:
                self.tree.setCurrentItem(item)
                return True
        return False

    def provider(self) -> str | None:
        item = self.tree.currentItem() if hasattr(self, "tree") else None
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def info(self, name: str) -> ProviderInfo | None:
        return next((p for p in self.providers if p.name == name), None)

    def _on_current(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        name = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        info = self.info(name) if name else None
        if info is None:
            return
        self.reason.setText(info.reason if not info.available else self.tr("{0} is available.").format(info.title))
        self.reason.setStyleSheet("" if info.available else "color: #b0792b;")
        while self.options_form.rowCount():
            self.options_form.removeRow(0)
        self.option_edits = {}
        for opt in spec_for(name).options:
            edit = QLineEdit()
            edit.setPlaceholderText(self.tr("default"))
            edit.editingFinished.connect(self.config_changed)
            self.option_edits[opt] = edit
            self.options_form.addRow(opt, edit)
        self.config_changed.emit()

    def provider_options(self) -> dict[str, str]:
        return {k: e.text().strip() for k, e in self.option_edits.items() if e.text().strip()}

    def check_available(self) -> str:
        """"" when the chosen provider can be used, else the reason (shown by the caller)."""
        info = self.info(self.provider() or "")
        if info is None:
            return self.tr("choose an execution provider")
        return "" if info.available else info.reason

    def config(self) -> SessionConfig:
        name = self.provider() or "CPUExecutionProvider"
        providers = (name,) if name == "CPUExecutionProvider" else (name, "CPUExecutionProvider")
        options = self.provider_options()
        return SessionConfig(providers=providers, provider_options={name: options} if options else {},
                             intra_op_threads=self.threads.value(),
                             graph_optimization=self.optimization.currentText(),
                             execution_mode="parallel" if self.parallel.isChecked() else "sequential",
                             allow_fallback=self.fallback.isChecked())

    def set_config(self, data: dict[str, Any]) -> None:
        """Restore from settings (SessionConfig.to_dict()); anything unusable is ignored."""
        try:
            cfg = SessionConfig.from_dict(data) if data else SessionConfig()
        except (StudioError, TypeError, ValueError):
            cfg = SessionConfig()
        info = self.info(cfg.providers[0])
        self.select(cfg.providers[0] if info is not None and info.available else "CPUExecutionProvider")
        for k, v in cfg.provider_options.get(cfg.providers[0], {}).items():
            if k in self.option_edits:
                self.option_edits[k].setText(str(v))
        self.threads.setValue(int(cfg.intra_op_threads))
        self.optimization.setCurrentText(cfg.graph_optimization)
        self.parallel.setChecked(cfg.execution_mode == "parallel")
        self.fallback.setChecked(cfg.allow_fallback)

    def show_session(self, info: SessionInfo | None) -> None:
        if info is None:
            self.session_label.setText(self.tr("No session yet."))
            self.session_label.setStyleSheet("")
            return
        got = ", ".join(p.replace("ExecutionProvider", "") for p in info.providers)
        text = self.tr("Session uses: {0} (created in {1:.0f} ms{2})").format(
            got, info.create_ms, self.tr(", from cache") if info.cached else "")
        if info.fallback:
            missing = ", ".join(info.fallback)
            text += "\n" + self.tr("Fell back: {0} was requested but not granted.").format(missing)
            self.session_label.setStyleSheet("color: #b0792b; font-weight: 600;")
        else:
            self.session_label.setStyleSheet("color: #2e9d57;")
        self.session_label.setText(text)
