"""Run → Generate text's options: how many tokens, how each is chosen, and whether the end-of-text token ends it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QSpinBox,
    QWidget,
)

from onnxstudio.core.generation import Sampling


class GenerateDialog(QDialog):
    """The number of new tokens; greedy (temperature 0) or drawn (temperature, top-k, top-p, seed); whether the
    model's end-of-text id stops it (off: every token, for timing)."""

    def __init__(self, tokens: int, sampling: Sampling, stop_at_end: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Generate text"))
        form = QFormLayout(self)
        self.tokens = QSpinBox()
        self.tokens.setRange(1, 100_000)
        self.tokens.setValue(tokens)
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.0, 10.0)
        self.temperature.setDecimals(2)
        self.temperature.setSingleStep(0.1)
        self.temperature.setSpecialValueText(self.tr("0 (greedy: the best token each step)"))
        self.temperature.setValue(sampling.temperature)
        self.top_k = QSpinBox()
        self.top_k.setRange(0, 1_000_000)
        self.top_k.setSpecialValueText(self.tr("all"))
        self.top_k.setValue(sampling.top_k)
        self.top_p = QDoubleSpinBox()
        self.top_p.setRange(0.01, 1.0)
        self.top_p.setDecimals(2)
        self.top_p.setSingleStep(0.05)
        self.top_p.setValue(sampling.top_p)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(sampling.seed)
        self.stop_at_end = QCheckBox(self.tr("Stop at the model's end-of-text token"))
        self.stop_at_end.setChecked(stop_at_end)
        self.stop_at_end.setToolTip(self.tr("Its eos_token_id, from the generation_config.json or config.json beside "
                                            "it; off: every token is generated (to time a fixed number)"))
        form.addRow(self.tr("New tokens:"), self.tokens)
        form.addRow(self.tr("Temperature:"), self.temperature)
        form.addRow(self.tr("Top-k:"), self.top_k)
        form.addRow(self.tr("Top-p:"), self.top_p)
        form.addRow(self.tr("Seed:"), self.seed)
        form.addRow(self.stop_at_end)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.temperature.valueChanged.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        drawn = self.temperature.value() > 0
        for widget in (self.top_k, self.top_p, self.seed):
            widget.setEnabled(drawn)

    def sampling(self) -> Sampling:
        return Sampling(self.temperature.value(), self.top_k.value(), self.top_p.value(), self.seed.value())
