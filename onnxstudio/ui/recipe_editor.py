"""Editor for an image preprocessing recipe (core.imaging.ImageRecipe)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QSpinBox, QWidget

from onnxstudio.core.errors import InputError
from onnxstudio.core.imaging import (
    COLOR_MODES,
    INTERPOLATIONS,
    LAYOUTS,
    MEAN_STD_PRESETS,
    RESIZE_MODES,
    SCALES,
    ImageRecipe,
    preset_of,
)


def _floats(text: str) -> tuple[float, ...]:
    try:
        values = tuple(float(v) for v in text.replace(",", " ").split())
    except ValueError:
        raise InputError(f"mean/std must be numbers separated by spaces or commas, not {text!r}") from None
    if not values:
        raise InputError("mean/std need at least one number")
    return values


class RecipeEditor(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._base = ImageRecipe()
        self.resize_mode = self._combo(RESIZE_MODES)
        self.interpolation = self._combo(INTERPOLATIONS)
        self.height = self._spin()
        self.width = self._spin()
        self.color = self._combo(COLOR_MODES)
        self.layout_combo = self._combo(LAYOUTS)
        self.scale = self._combo(SCALES)
        self.preset = self._combo((*MEAN_STD_PRESETS, "custom"))
        self.mean = QLineEdit()
        self.std = QLineEdit()
        for e in (self.mean, self.std):
            e.editingFinished.connect(self._on_mean_std_edited)
        self.preset.currentTextChanged.connect(self._on_preset)
        size_row = QHBoxLayout()
        size_row.setContentsMargins(0, 0, 0, 0)
        size_row.addWidget(self.height)
        size_row.addWidget(self.width)
        size_row.addWidget(self.resize_mode, 1)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Size (H × W)"), size_row)
        form.addRow(self.tr("Resampling"), self.interpolation)
        form.addRow(self.tr("Colour"), self.color)
        form.addRow(self.tr("Layout"), self.layout_combo)
        form.addRow(self.tr("Scale"), self.scale)
        form.addRow(self.tr("Normalise"), self.preset)
        form.addRow(self.tr("Mean"), self.mean)
        form.addRow(self.tr("Std"), self.std)
        self.height.setToolTip(self.tr("Target height; 0: the model's, or the image's own rounded to a multiple of 32"))
        self.width.setToolTip(self.tr("Target width; 0: the model's, or the image's own rounded to a multiple of 32"))
        self.resize_mode.setToolTip(self.tr("How the image is fitted to the target size"))
        self.interpolation.setToolTip(self.tr("Pillow's resampling filter used when resizing"))
        self.set_recipe(ImageRecipe())

    def _combo(self, items: tuple[str, ...]) -> QComboBox:
        c = QComboBox()
        c.addItems(list(items))
        c.currentIndexChanged.connect(self.changed)
        return c

    def _spin(self) -> QSpinBox:
        s = QSpinBox()
        s.setRange(0, 16384)
        s.setSpecialValueText(self.tr("auto"))
        s.valueChanged.connect(self.changed)
        return s

    def _on_preset(self, name: str) -> None:
        if name in MEAN_STD_PRESETS:
            mean, std = MEAN_STD_PRESETS[name]
            self.mean.setText(" ".join(f"{v:g}" for v in mean))
            self.std.setText(" ".join(f"{v:g}" for v in std))

    def _on_mean_std_edited(self) -> None:
        self.changed.emit()

    def set_recipe(self, recipe: ImageRecipe) -> None:
        self._base = recipe
        widgets = (self.resize_mode, self.interpolation, self.height, self.width, self.color, self.layout_combo, self.scale,
                   self.preset, self.mean, self.std)
        for w in widgets:
            w.blockSignals(True)
        self.resize_mode.setCurrentText(recipe.resize)
        self.interpolation.setCurrentText(recipe.interpolation)
        h, w = recipe.size or (0, 0)
        self.height.setValue(h)
        self.width.setValue(w)
        self.color.setCurrentText(recipe.color)
        self.layout_combo.setCurrentText(recipe.layout)
        self.scale.setCurrentText(recipe.scale)
        preset = preset_of(recipe) or "custom"
        self.preset.setCurrentText(preset)
        self.mean.setText(" ".join(f"{v:g}" for v in recipe.mean))
        self.std.setText(" ".join(f"{v:g}" for v in recipe.std))
        for w in widgets:
            w.blockSignals(False)

    def recipe(self) -> ImageRecipe:
        """The edited recipe (raises InputError for a bad mean/std)."""
        h, w = self.height.value(), self.width.value()
        return replace(self._base, resize=self.resize_mode.currentText(), size=(h, w) if h and w else None,
                       interpolation=self.interpolation.currentText(),
                       color=self.color.currentText(), layout=self.layout_combo.currentText(),
                       scale=self.scale.currentText(), mean=_floats(self.mean.text()), std=_floats(self.std.text()))
