"""Benchmark parameters: warm-up, a number of iterations or a duration, IO binding."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from onnxstudio.core.engine import BenchmarkSpec
from onnxstudio.core.sweep import parse_values

GUI_BATCH_INTERVAL_S = 0.03


class BenchmarkSettings(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.warmup = QSpinBox()
        self.warmup.setRange(0, 1_000_000)
        self.warmup.setValue(10)
        self.warmup.setToolTip(self.tr("Iterations run before measuring (not in the statistics)"))
        self.mode = QComboBox()
        self.mode.addItem(self.tr("for a duration"), "duration")
        self.mode.addItem(self.tr("for a number of iterations"), "iterations")
        self.duration = QDoubleSpinBox()
        self.duration.setRange(0.1, 3600)
        self.duration.setValue(5.0)
        self.duration.setSuffix(" s")
        self.iterations = QSpinBox()
        self.iterations.setRange(1, 100_000_000)
        self.iterations.setValue(1000)
        self.io_binding = QCheckBox(self.tr("IO binding (inputs and outputs bound once)"))
        self.mode.currentIndexChanged.connect(self._on_mode)
        self.duration.setToolTip(self.tr("Duration"))
        self.iterations.setToolTip(self.tr("Iterations"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("Warm-up")))
        row.addWidget(self.warmup)
        row.addSpacing(12)
        row.addWidget(QLabel(self.tr("Measure")))
        row.addWidget(self.mode)
        row.addWidget(self.duration)
        row.addWidget(self.iterations)
        row.addSpacing(12)
        row.addWidget(self.io_binding)
        self.sweep_dim = QComboBox()
        self.sweep_dim.setToolTip(self.tr("Benchmark at each value of a free dim (batch, a sequence length) in one "
                                          "session"))
        self.sweep_values = QLineEdit("1..16")
        self.sweep_values.setMaximumWidth(120)
        self.sweep_values.setToolTip(self.tr("Values: 1, 2, 4, 8 or a range 1..64 (its powers of two)"))
        self.sweep_label = QLabel(self.tr("Sweep"))
        row.addSpacing(12)
        row.addWidget(self.sweep_label)
        row.addWidget(self.sweep_dim)
        row.addWidget(self.sweep_values)
        row.addStretch(1)
        self.sweep_dim.currentIndexChanged.connect(self._on_sweep)
        self.set_dims([])
        self._on_mode()

    def set_dims(self, names: list[str]) -> None:
        """The model's free dims, which a sweep can vary; none: no sweep offered."""
        current = self.sweep_dim.currentData()
        self.sweep_dim.blockSignals(True)
        self.sweep_dim.clear()
        self.sweep_dim.addItem(self.tr("none"), "")
        for name in names:
            self.sweep_dim.addItem(name, name)
        self.sweep_dim.setCurrentIndex(max(self.sweep_dim.findData(current), 0))
        self.sweep_dim.blockSignals(False)
        for w in (self.sweep_label, self.sweep_dim, self.sweep_values):
            w.setVisible(bool(names))
        self._on_sweep()

    def _on_sweep(self) -> None:
        self.sweep_values.setEnabled(bool(self.sweep_dim.currentData()))

    def sweep(self) -> tuple[str, tuple[int, ...]] | None:
        """(dim, values) when a sweep is chosen; raises InputError on values that do not parse."""
        dim = self.sweep_dim.currentData()
        return (str(dim), parse_values(self.sweep_values.text())) if dim else None

    def _on_mode(self) -> None:
        by_time = self.mode.currentData() == "duration"
        self.duration.setVisible(by_time)
        self.iterations.setVisible(not by_time)

    def spec(self) -> BenchmarkSpec:
        by_time = self.mode.currentData() == "duration"
        return BenchmarkSpec(warmup=self.warmup.value(),
                             iterations=None if by_time else self.iterations.value(),
                             duration_s=self.duration.value() if by_time else None,
                             io_binding=self.io_binding.isChecked(),
                             # one batch per chart frame (~30 Hz): the charts redraw when data arrives
                             batch_interval_s=GUI_BATCH_INTERVAL_S)

    def set_spec(self, spec: BenchmarkSpec) -> None:
        self.warmup.setValue(spec.warmup)
        if spec.duration_s is not None:
            self.mode.setCurrentIndex(0)
            self.duration.setValue(spec.duration_s)
        elif spec.iterations is not None:
            self.mode.setCurrentIndex(1)
            self.iterations.setValue(spec.iterations)
        self.io_binding.setChecked(spec.io_binding)

    def to_dict(self) -> dict[str, Any]:
        s = self.spec()
        return {"warmup": s.warmup, "iterations": s.iterations, "duration_s": s.duration_s,
                "io_binding": s.io_binding}

    def load_dict(self, data: dict[str, Any]) -> None:
        try:
            self.set_spec(BenchmarkSpec(warmup=int(data.get("warmup", 10)),
                                        iterations=data.get("iterations"), duration_s=data.get("duration_s"),
                                        io_binding=bool(data.get("io_binding", False))))
        except (TypeError, ValueError):
            pass
