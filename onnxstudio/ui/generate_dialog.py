"""Run → Generate text's options: how many tokens, how each is chosen, the rules on the scores (the model's
generation_config.json, a repetition penalty, no repeated n-grams) and whether the end-of-text token ends it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from onnxstudio.core.generation import Sampling
from onnxstudio.core.generation_config import RuleChoices
from onnxstudio.core.logits_rules import Rules


class GenerateDialog(QDialog):
    """The number of new tokens; greedy (temperature 0) or drawn (temperature, top-k, top-p, seed); whether the
    model's end-of-text id stops it (off: every token, for timing); the rules the model's config sets on the
    scores followed or not, a repetition penalty and an n-gram size of one's own (at their lowest: the model's)."""

    def __init__(self, tokens: int, sampling: Sampling, stop_at_end: bool, choices: RuleChoices | None = None,
                 model_rules: Rules | None = None, notes: tuple[str, ...] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        choices, model_rules = choices or RuleChoices(), model_rules or Rules()
        self.setWindowTitle(self.tr("Generate text"))
        form = QFormLayout(self)
        self.tokens = QSpinBox()
        self.tokens.setRange(0, 100_000)
        self.tokens.setSpecialValueText(self.tr("the model's (its max_length, else 20)"))
        self.tokens.setValue(tokens)
        self.tokens.setToolTip(self.tr("At their lowest: as many as the model's pipeline generates (the "
                                       "max_new_tokens or max_length of an encoder-decoder's generation config)"))
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
        self.follow_config = QCheckBox(self.tr("Follow the rules of the model's generation config"))
        self.follow_config.setChecked(choices.follow_config)
        said = model_rules.summary()
        self.model_rules = QLabel(self.tr("{0}: {1}").format(model_rules.source, said) if said else
                                  self.tr("The model's config sets no rules on the scores"))
        self.model_rules.setWordWrap(True)
        self.model_rules.setToolTip(self.tr("As transformers' generate applies them: suppressed and banned tokens, a "
                                            "minimum length, the end forced at the last token, a repetition penalty, "
                                            "no repeated n-grams"))
        self.repetition_penalty = QDoubleSpinBox()
        self.repetition_penalty.setRange(0.0, 100.0)
        self.repetition_penalty.setDecimals(2)
        self.repetition_penalty.setSingleStep(0.05)
        self.repetition_penalty.setSpecialValueText(self.tr("the model's"))
        self.repetition_penalty.setValue(choices.repetition_penalty or 0.0)
        self.repetition_penalty.setToolTip(self.tr("A token already in the text: its score divided by this (1: off)"))
        self.no_repeat_ngram = QSpinBox()
        self.no_repeat_ngram.setRange(-1, 64)
        self.no_repeat_ngram.setSpecialValueText(self.tr("the model's"))
        self.no_repeat_ngram.setValue(-1 if choices.no_repeat_ngram is None else choices.no_repeat_ngram)
        self.no_repeat_ngram.setToolTip(self.tr("No run of this many tokens twice in the text (0: off)"))
        self.beams = QSpinBox()
        self.beams.setRange(0, 64)
        self.beams.setSpecialValueText(self.tr("the model's"))
        self.beams.setValue(choices.beams or 0)
        self.beams.setToolTip(self.tr("Beam search: the best of this many sequences kept each step, as transformers' "
                                      "generate keeps them (1: one path); tokens drawn with a temperature take one"))
        form.addRow(self.tr("New tokens:"), self.tokens)
        form.addRow(self.tr("Temperature:"), self.temperature)
        form.addRow(self.tr("Top-k:"), self.top_k)
        form.addRow(self.tr("Top-p:"), self.top_p)
        form.addRow(self.tr("Seed:"), self.seed)
        form.addRow(self.stop_at_end)
        form.addRow(self.follow_config)
        form.addRow(self.model_rules)
        form.addRow(self.tr("Repetition penalty:"), self.repetition_penalty)
        form.addRow(self.tr("No repeated n-grams:"), self.no_repeat_ngram)
        form.addRow(self.tr("Beams:"), self.beams)
        for note in notes:  # what the config asks that is not done here (beam search)
            label = QLabel(note)
            label.setWordWrap(True)
            form.addRow(label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.temperature.valueChanged.connect(self._sync)
        self.follow_config.toggled.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        drawn = self.temperature.value() > 0
        for widget in (self.top_k, self.top_p, self.seed):
            widget.setEnabled(drawn)
        self.model_rules.setEnabled(self.follow_config.isChecked())

    def choices(self) -> RuleChoices:
        penalty, ngram, beams = self.repetition_penalty.value(), self.no_repeat_ngram.value(), self.beams.value()
        return RuleChoices(self.follow_config.isChecked(), penalty if penalty > 0 else None,
                           ngram if ngram >= 0 else None, beams if beams > 0 else None)

    def sampling(self) -> Sampling:
        return Sampling(self.temperature.value(), self.top_k.value(), self.top_p.value(), self.seed.value())
