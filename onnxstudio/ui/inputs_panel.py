"""All inputs of the open model: one editor each, plus the symbolic dims they share."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QSpinBox, QVBoxLayout, QWidget

from onnxstudio.core.dims import derived_dims
from onnxstudio.core.errors import InputError, StudioError
from onnxstudio.core.hf_processor import PictureProcessor
from onnxstudio.core.inputs import (
    LengthSource,
    bound_dims,
    complete_dims,
    complete_text_inputs,
    defaulted_dims,
    free_dims,
    measured_by,
    model_dims,
    picture_hw,
    positions_after_cache,
    validate_feeds,
)
from onnxstudio.core.tables import named_columns
from onnxstudio.core.values import ValueSpec
from onnxstudio.ui.input_editor import InputEditor

MANY_INPUTS = 4  # with more inputs than this, the symbolic dims are shown above them


class InputsPanel(QWidget):
    changed = Signal()
    dims_changed = Signal()  # a free dim was set, or an input's data fixes another (the MACs are counted again)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.specs: list[ValueSpec] = []
        self._last_bound: dict[str, int] = {}  # the dims the inputs' own data fixed at the last look
        self.editors: list[InputEditor] = []
        self.dim_spins: dict[str, QSpinBox] = {}
        self._building = False
        self._lengths: dict[str, LengthSource] = {}  # lengths inputs -> the input each measures
        self._length_set: dict[str, float] = {}  # ... and the value last given to each (until the user sets one)
        self.dims_box = QGroupBox(self.tr("Symbolic dimensions"))
        self.dims_box.setToolTip(self.tr("Sizes for named dimensions; 'auto' lets the source decide (an image "
                                         "keeps its size; random data uses 1, 224 for a picture's sides, 512 for "
                                         "audio samples)"))
        self.dims_form = QFormLayout(self.dims_box)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #d64545;")
        self.message.setVisible(False)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.dims_box)
        self._layout.addWidget(self.message)
        self._layout.addStretch(1)
        self.dims_box.setVisible(False)

    def set_inputs(self, specs: list[ValueSpec], metadata: dict[str, str] | None = None,
                   files: dict[str, str] | None = None, own_dims: dict[str, int] | None = None,
                   tokenizer: str | None = None, processor: PictureProcessor | None = None,
                   normalize_waves: bool = False, answers: bool = False) -> None:
        """One editor per input; ``metadata`` (the model's) may say how its pictures are prepared; ``files``
        (input name -> path) start those inputs on a file instead of their defaults; ``own_dims``, the dims the
        model's own pipeline fixes (:func:`~onnxstudio.core.inputs.model_dims`; from ``metadata`` alone when
        None); ``tokenizer``, the one shipped beside the model, lets a text feed its token ids; ``processor``, a Hugging
        Face model's picture steps, starts its image inputs' recipes; ``normalize_waves``: its .wav files are fed
        normalized (a speech model's feature extractor says so); ``answers``: a question-answering model, whose two
        lines of text are a question and its context."""
        for editor in self.editors:
            editor.deleteLater()
        self.editors = []
        while self.dims_form.rowCount():
            self.dims_form.removeRow(0)
        self.dim_spins = {}
        self.specs = list(specs)
        names = free_dims(specs)  # symbolic dims by name, unknown dims as "input:axis"
        derived = derived_dims(names)  # a decoder's "past_sequence_length + 1"
        for name in names:
            spin = QSpinBox()
            spin.setRange(0, 1 << 20)
            spin.setSpecialValueText(self.tr("auto"))
            spin.valueChanged.connect(self._on_dims)
            self.dim_spins[name] = spin
            if name in derived:
                spin.setToolTip(self.tr("Follows {0} unless you set it").format(derived[name]))
            text = name if ":" not in name else self.tr("{0} dim {1}").format(*name.rsplit(":", 1))
            label = QLabel(QFontMetrics(self.font()).elidedText(text, Qt.TextElideMode.ElideMiddle, 170))
            if label.text() != text:
                label.setToolTip(text)
            self.dims_form.addRow(label, spin)
        self.dims_box.setVisible(bool(names))
        own = model_dims(self.specs, metadata or {}) if own_dims is None else own_dims
        for name, value in own.items():  # PaddleOCR's line height, editable
            if name in self.dim_spins:
                self.dim_spins[name].blockSignals(True)
                self.dim_spins[name].setValue(value)
                self.dim_spins[name].setToolTip(self.tr("Set from the model's own pipeline ({0}: a text recogniser's "
                                                        "line height, the picture size it was trained or is "
                                                        "prepared at); set another value to run at it").format(value))
                self.dim_spins[name].blockSignals(False)
        # Below a few inputs, their shared sizes come after them; above (a decoder's 64 cache inputs), first, where
        # they can be found without scrolling past every input
        self._layout.removeWidget(self.dims_box)
        first = len(specs) > MANY_INPUTS
        self._layout.insertWidget(0, self.dims_box)
        for i, spec in enumerate(specs):
            editor = InputEditor(spec, metadata=metadata, specs=specs, tokenizer=tokenizer, processor=processor,
                                 normalize_waves=normalize_waves, answers=answers)
            editor.changed.connect(self._on_editor_changed)
            editor.file_chosen.connect(self._share_table)
            self._layout.insertWidget(i + 1 if first else i, editor)
            self.editors.append(editor)
        if not specs:
            self.message.setText(self.tr("This model takes no inputs."))
            self.message.setVisible(True)
        else:
            self.message.setVisible(False)
        self._lengths = {s.name: length for s in specs if (length := measured_by(s, specs)) is not None}
        self._length_set = {}
        self._last_bound = {}
        start = complete_dims(self.specs, self.dims())  # values set from the model apply from the first build
        self._building = True  # one sync of the dims after every input is built, not one per input
        try:
            for editor in self.editors:
                editor.dims = start
                if files and editor.spec.name in files:
                    editor.set_file(files[editor.spec.name])  # builds once, from the file
                else:
                    editor.rebuild()
        finally:
            self._building = False
        self._sync_dims()

    def _share_table(self, path: str) -> None:
        """A table chosen for one input also feeds every other input named by one of its columns (skl2onnx gives
        each feature column an input of its own: one file for all of them)."""
        named = set(named_columns(path, [e.spec.name for e in self.editors]))
        for editor in self.editors:
            if editor.spec.name in named and editor.array_path.text() != path:
                editor.set_file(path)

    def dims(self) -> dict[str, int]:
        return {name: spin.value() for name, spin in self.dim_spins.items() if spin.value() > 0}

    def _bound(self) -> dict[str, int]:
        """The free dims that a file, picture, text or literal fixes (the first input to fix one wins)."""
        bound: dict[str, int] = {}
        for editor in self.editors:
            if editor.brings_shape() and isinstance(editor.value, np.ndarray):
                for key, n in bound_dims(editor.spec, editor.value).items():
                    bound.setdefault(key, n)
        return bound

    def counted_dims(self) -> dict[str, int]:
        """The sizes a run takes, for its MAC count: the dims set, and those the inputs' files, pictures and texts
        fix (a text of 12 tokens: sequence 12)."""
        return {**self._bound(), **self.dims()}

    def defaulted(self) -> dict[str, int]:
        """The free dims left on auto that no file, picture or literal fixes, with the values they take."""
        return defaulted_dims(self.specs, self.dims(), self._bound())

    def _on_dims(self) -> None:
        self._sync_dims(force=True)
        self.dims_changed.emit()

    def _on_editor_changed(self) -> None:
        if not self._building:
            self._sync_dims()
            self._sync_completed()
        self.changed.emit()

    def _sync_completed(self) -> None:
        """An input that a text completes (the attention mask over a batch's padding, a pair's token types) says
        what a run feeds it, not the constant its own editor holds."""
        values = {e.spec.name: e.value for e in self.editors}
        if any(v is None for v in values.values()):
            return
        completed = dict(values)
        notes: list[str] = []
        complete_text_inputs(self.specs, {e.spec.name: e.source() for e in self.editors}, completed, notes)
        for editor in self.editors:
            fed = completed[editor.spec.name]
            prefix = f"input {editor.spec.name!r}: "
            note = next((n[len(prefix):] for n in notes if n.startswith(prefix)), "")
            editor.show_fed(None if fed is values[editor.spec.name] else fed, note)

    def _sync_dims(self, force: bool = False) -> None:
        """Give each input the dims it is built at: those set; for generated data (random, constant) also those
        that a file, picture or literal of another input fixes (7 token ids: a mask 7 long); and the dims that
        follow others (:func:`complete_dims`). A dim left on auto says the value it takes."""
        chosen = self.dims()
        bound = self._bound()
        if bound != self._last_bound and not self._building:  # a picture's sides, a text's length: MACs recounted
            self._last_bound = bound
            self.dims_changed.emit()
        own = complete_dims(self.specs, chosen)
        generated = complete_dims(self.specs, {**bound, **chosen})
        for editor in self.editors:
            want = own if editor.brings_shape() else generated
            if force or editor.dims != want:
                editor.set_dims(want)
        for name, spin in self.dim_spins.items():
            taken = generated.get(name) if name not in chosen else None
            spin.setSpecialValueText(self.tr("auto") if taken is None else self.tr("auto ({0})").format(taken))
        self._sync_lengths()
        self._sync_sizes()
        self._sync_positions()

    def _sync_positions(self) -> None:
        """A Positions source starts after the key/value cache, where the attention mask over cache and new tokens
        says the new tokens begin (a cache of 4 and 3 new tokens: 4, 5, 6)."""
        values = {e.spec.name: e.value for e in self.editors}
        for editor in self.editors:
            if editor.kind.currentData() != "positions" or not isinstance(editor.value, np.ndarray):
                continue
            if editor.value.ndim != 2 or not editor.value.size:
                continue
            counted = positions_after_cache(editor.value - editor.positions_start, self.specs, values)
            editor.follow_start(int(counted[0, 0]))

    def _sync_sizes(self) -> None:
        """A Picture size source holds the height and width its picture is fed at (a 300 x 500 photo on free sides:
        288 x 512), kept up to date as the picture or its sizes change."""
        for editor in self.editors:
            if editor.picture_name is None:
                continue
            picture = self.editor(editor.picture_name)
            found = picture_hw(picture.spec, picture.value)
            if found is not None:
                editor.follow_size(found[1])

    def _sync_lengths(self) -> None:
        """A lengths input (``waveforms_lens``) holds the length of the input it measures, as a constant that follows
        that input (a recording of 1.2 s: 19200) until the user gives it another value or source."""
        for name, length in self._lengths.items():
            editor, measured = self.editor(name), self.editor(length.of).value
            if not isinstance(measured, np.ndarray) or measured.ndim <= length.axis:
                continue
            n = float(measured.shape[length.axis])
            last = self._length_set.get(name)
            ours = (editor.kind.currentData() == "random" and last is None) or (
                editor.kind.currentData() == "constant" and editor.constant.value() == last)
            if ours and (last != n or editor.kind.currentData() != "constant"):
                self._length_set[name] = n
                editor.use_constant(n)
                editor.constant.setToolTip(self.tr("The length of {0} (axis {1}): it follows {0} until you set "
                                                   "another value").format(length.of, length.axis))

    def editor(self, name: str) -> InputEditor:
        return next(e for e in self.editors if e.spec.name == name)

    def feeds(self) -> dict[str, Any]:
        """Validated arrays for every input; raises InputError naming the input at fault (also shown)."""
        for _ in range(3):  # a rebuilt file input may give other inputs new dims (and start their timers)
            pending = [e for e in self.editors if e._timer.isActive()]
            if not pending:
                break
            for editor in pending:
                editor.rebuild()
        bad = next((e for e in self.editors if e.error or e.value is None), None)
        if bad is not None:
            prefix = f"input {bad.spec.name!r}"
            error = bad.error or "no value"
            raise InputError(error if error.startswith(prefix) else f"{prefix}: {error}")
        feeds = {e.spec.name: e.value for e in self.editors}  # a sequence input's value is already its list
        complete_text_inputs(self.specs, {e.spec.name: e.source() for e in self.editors}, feeds)  # mask, types
        try:
            validate_feeds(self.specs, feeds)
        except StudioError as exc:
            self.message.setText(exc.message)
            self.message.setVisible(True)
            raise
        if self.specs:
            self.message.setVisible(False)
        return feeds
