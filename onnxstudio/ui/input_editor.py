"""One model input: its source, preprocessing, preview, and the validation message for it."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFocusEvent, QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from onnxstudio.core.each import one_at_a_time
from onnxstudio.core.errors import InputError, StudioError
from onnxstudio.core.hf_processor import PictureProcessor
from onnxstudio.core.imaging import IMAGE_EXTENSIONS, guess_recipe, recipe_for_model
from onnxstudio.core.inputs import (
    ARRAY_SUFFIXES,
    ArrayFileSource,
    ConstantSource,
    ImageSource,
    LiteralSource,
    PositionsSource,
    RandomSource,
    SizeSource,
    Source,
    TextSource,
    default_source,
    feed_value,
    picture_input,
    split_key,
    validate_feeds,
)
from onnxstudio.core.outputs import output_stats, to_image
from onnxstudio.core.text import SAMPLE_TEXT
from onnxstudio.core.values import ValueSpec
from onnxstudio.resources import resource_path
from onnxstudio.ui.qimage import to_pixmap
from onnxstudio.ui.recipe_editor import RecipeEditor

# "text" is listed only where a tokenizer ships beside the model, "size" where the model has a picture whose size
# this input can hold; the stack holds a page for each, in this order
SOURCES = ("image", "array", "random", "constant", "literal", "positions", "text", "size")
ARRAY_EXTENSIONS = ARRAY_SUFFIXES


_TEXT_IDS = re.compile(r"(^|_)(input_ids|ids|tokens|token_ids)$", re.IGNORECASE)


def _takes_ids(spec: ValueSpec) -> bool:
    """An integer input of rank 1 or 2 (a row of token ids, a batch of rows) that a text can feed."""
    return (spec.type == "tensor" and spec.dtype in ("int64", "int32", "uint32", "uint64", "int16", "uint16")
            and spec.shape is not None and len(spec.shape) in (1, 2))


def _sized_picture(spec: ValueSpec, specs: Sequence[ValueSpec]) -> str | None:
    """The picture input whose [height, width] ``spec`` can hold (its last dim 2 or free), if the model has one."""
    picture = picture_input([s for s in specs if s.name != spec.name])
    shape = spec.shape
    if picture is None or spec.type != "tensor" or spec.dtype in ("string", "bool") or not shape:
        return None
    return picture.name if not (isinstance(shape[-1], int) and shape[-1] not in (2, -1, 0)) else None


def default_image_for(spec: ValueSpec) -> Path | None:
    """A bundled picture to start with: a digit for small grey inputs, the photo otherwise."""
    recipe = guess_recipe(spec)
    if recipe is None:
        return None
    if recipe.channels == 1 and recipe.size is not None and max(recipe.size) <= 64:
        digits = sorted(resource_path("samples", "digits").glob("*.png"))
        if digits:
            return digits[0]
    photo = resource_path("samples", "photo.png")
    return photo if photo.is_file() else None


def _describe_items(value: Any) -> str:
    """"sequence of 2: float32 [2], float32 [3]" for a sequence input's tensors."""
    if not isinstance(value, list):
        return type(value).__name__
    items = ", ".join(f"{a.dtype} {list(a.shape)}" for a in value[:4] if isinstance(a, np.ndarray))
    return f"sequence of {len(value)}: {items}{', …' if len(value) > 4 else ''}"


def _is_integer(dtype: str) -> bool:
    return dtype.startswith(("int", "uint"))


TITLE_WIDTH = 290  # pixels: what the side panel's narrowest width leaves for an input's title


class TextsEdit(QPlainTextEdit):
    """A text for the tokenizer, or several, a line each (a batch): three lines high, unwrapped (a line is a text),
    with QLineEdit's ``text``/``setText`` and its ``editingFinished`` when the field loses the focus."""

    editingFinished = Signal()

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        margins = self.contentsMargins()
        self.setFixedHeight(3 * self.fontMetrics().lineSpacing() + 2 * round(self.document().documentMargin())
                            + margins.top() + margins.bottom() + 2)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(text)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editingFinished.emit()


class InputEditor(QGroupBox):
    changed = Signal()
    file_chosen = Signal(str)  # the user picked or dropped a file (a table may feed other inputs too)

    def __init__(self, spec: ValueSpec, parent: QWidget | None = None, metadata: dict[str, str] | None = None,
                 specs: Sequence[ValueSpec] = (), tokenizer: str | None = None,
                 processor: PictureProcessor | None = None, normalize_waves: bool = False,
                 answers: bool = False) -> None:
        """``processor``: a Hugging Face model's picture steps (its preprocessor_config.json), the recipe's start;
        ``normalize_waves``: a .wav's samples go to zero mean and unit variance (a speech model's extractor);
        ``answers``: the model answers a question from a context (two lines of text are that pair)."""
        super().__init__(parent)
        self.metadata = metadata or {}
        self.processor = processor
        self.normalize_waves = normalize_waves
        self.answers = answers
        self.specs = list(specs)  # the model's inputs, this one among them: some defaults depend on the others
        signature = f"{spec.name}   {spec.dtype} {spec.shape_text()}"
        # long symbolic dims (p2o.DynamicDimension.0, ...) would widen the box past the side panel and clip it
        self.setTitle(QFontMetrics(self.font()).elidedText(signature, Qt.TextElideMode.ElideRight, TITLE_WIDTH))
        if self.title() != signature:
            self.setToolTip(signature)
        self.spec = spec
        self.dims: dict[str, int] = {}
        self.value: Any = None
        self.error = ""
        self._notes: list[str] = []  # what building the value said (a conversion), kept for show_fed
        self.each_files: list[str] = []  # a folder's pictures that Run feeds one at a time (batch fixed at 1)
        self.setAcceptDrops(True)
        self._timer = QTimer(self, singleShot=True, interval=120)
        self._timer.timeout.connect(self.rebuild)

        self.kind = QComboBox()
        labels = {"image": self.tr("Image"), "array": self.tr("Array file"), "random": self.tr("Random"),
                  "constant": self.tr("Constant"), "literal": self.tr("Literal"), "positions": self.tr("Positions"),
                  "size": self.tr("Picture size"), "text": self.tr("Text")}
        self.picture_name = _sized_picture(spec, self.specs)
        self.size_hw: tuple[int, int] | None = None  # the picture's [h, w] as fed, kept up to date by the panel
        self.positions_start = 0  # where positions start: after a key/value cache (kept up to date by the panel)
        # a text for token ids, not for the inputs a tokenizer fills itself (a mask, positions, lengths)
        takes_text = _takes_ids(spec) and isinstance(default_source(spec, self.specs), RandomSource)
        self.tokenizer = tokenizer if tokenizer and takes_text else None
        for key in SOURCES:
            if (key != "size" or self.picture_name is not None) and (key != "text" or self.tokenizer is not None):
                self.kind.addItem(labels[key], key)
        self.kind.setToolTip(self.tr("Where this input's values come from"))
        self.stack = QStackedWidget()
        self.image_path, image_page = self._file_page(self.tr("Image file or folder (one batch)"), True)
        self.recipe_toggle = QToolButton()
        self.recipe_toggle.setText(self.tr("Preprocessing"))
        self.recipe_toggle.setCheckable(True)
        self.recipe_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.recipe_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.recipe = RecipeEditor()
        self.recipe.setVisible(False)
        self.recipe.changed.connect(self.schedule)
        self.recipe_toggle.toggled.connect(self._on_recipe_toggled)
        image_page.layout().addWidget(self.recipe_toggle)
        image_page.layout().addWidget(self.recipe)
        self.array_path, array_page = self._file_page(self.tr(".npy, .npz, .pb, .wav or .csv file"), False)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.distribution = QComboBox()
        self.distribution.addItems(["uniform", "normal"])
        self.low = QLineEdit()
        self.high = QLineEdit()
        self.low.setPlaceholderText(self.tr("default"))
        self.high.setPlaceholderText(self.tr("default"))
        random_page = QWidget()
        rf = QFormLayout(random_page)
        rf.setContentsMargins(0, 0, 0, 0)
        rf.addRow(self.tr("Seed"), self.seed)
        rf.addRow(self.tr("Distribution"), self.distribution)
        rf.addRow(self.tr("Low / mean"), self.low)
        rf.addRow(self.tr("High / std"), self.high)
        # random strings and booleans take no range; integers are drawn uniformly from [low, high)
        no_range = spec.dtype in ("string", "bool")
        rf.setRowVisible(self.distribution, not no_range and not _is_integer(spec.dtype))
        rf.setRowVisible(self.low, not no_range)
        rf.setRowVisible(self.high, not no_range)
        self.constant = QDoubleSpinBox()
        self.constant.setRange(-1e12, 1e12)
        integer = _is_integer(spec.dtype) or spec.dtype == "bool"
        self.constant.setDecimals(0 if integer else 6)  # 16000, not 16000.000000, for a sample rate
        const_page = QWidget()
        QFormLayout(const_page).addRow(self.tr("Value"), self.constant)
        const_page.layout().setContentsMargins(0, 0, 0, 0)
        self.literal = QLineEdit()
        self.literal.setPlaceholderText("[[1, 2], [3, 4]]")
        literal_page = QWidget()
        QFormLayout(literal_page).addRow(self.tr("Value"), self.literal)
        literal_page.layout().setContentsMargins(0, 0, 0, 0)
        positions_page = QLabel(self.tr("0, 1, 2, … along the last axis: a prompt's token positions"))
        positions_page.setWordWrap(True)
        self.size_page = QLabel(self.tr("The height and width of {0} as it is fed, a row for each picture: it "
                                        "follows the picture").format(self.picture_name or ""))
        self.size_page.setWordWrap(True)
        self.text = TextsEdit(SAMPLE_TEXT)
        self.text.setPlaceholderText(self.tr("Text for the tokenizer; a text a line for a batch"))
        self.text.setToolTip(self.tr("Turned into token ids by {0}, beside the model. A text a line: several lines "
                                     "are a batch, a row each, padded to the longest (the attention mask is 0 over "
                                     "the padding)").format(Path(self.tokenizer).name if self.tokenizer else ""))
        if self.answers:  # a question-answering model reads a pair
            self.text.setToolTip(self.tr("Turned into token ids by {0}, beside the model. First line: the question; "
                                         "second line: the context the model answers it from").format(
                Path(self.tokenizer).name if self.tokenizer else ""))
            self.text.setPlaceholderText(self.tr("A question on the first line, its context on the second"))
        text_page = QWidget()
        QFormLayout(text_page).addRow(self.tr("Text"), self.text)
        text_page.layout().setContentsMargins(0, 0, 0, 0)
        for page in (image_page, array_page, random_page, const_page, literal_page, positions_page, text_page,
                     self.size_page):
            self.stack.addWidget(page)
        for w in (self.seed, self.constant):
            w.valueChanged.connect(self.schedule)
        self.distribution.currentIndexChanged.connect(self.schedule)
        for e in (self.low, self.high, self.literal, self.image_path, self.array_path, self.text):
            e.editingFinished.connect(self.schedule)
        self.kind.currentIndexChanged.connect(self._on_kind)

        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setObjectName("inputError")
        self.error_label.setStyleSheet("color: #d64545;")
        self.error_label.setVisible(False)

        top = QFormLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addRow(self.tr("Source"), self.kind)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.stack)
        lay.addWidget(self.preview)
        lay.addWidget(self.info)
        lay.addWidget(self.error_label)
        self._init_defaults()

    # -- construction helpers -----------------------------------------------------------------------------
    def _file_page(self, placeholder: str, image: bool) -> tuple[QLineEdit, QWidget]:
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.setAcceptDrops(False)  # a dropped file goes to the editor (sets the source), not into the text
        button = QPushButton(self.tr("Browse…"))
        button.clicked.connect(lambda: self._browse(edit, image))
        row.addWidget(edit, 1)
        row.addWidget(button)
        v.addLayout(row)
        return edit, page

    def _init_defaults(self) -> None:
        recipe = recipe_for_model(self.spec, self.metadata, self.processor)
        self._image_like = recipe is not None
        if recipe is not None:
            self.recipe.set_recipe(recipe)
        image = default_image_for(self.spec)
        default = default_source(self.spec, self.specs)  # a lengths input starts random: the panel sets it
        if image is not None:
            self.image_path.setText(str(image))
            self.choose("image")
        elif isinstance(default, ConstantSource):  # a sample rate (16000), an attention mask (1), a state (0)
            self.constant.setValue(default.value)
            self.choose("constant")
        elif self.tokenizer is not None and _TEXT_IDS.search(self.spec.name):  # a text model's input_ids: a text
            self.choose("text")
        elif isinstance(default, PositionsSource):  # a decoder's position_ids
            self.choose("positions")
        elif isinstance(default, SizeSource) and self.picture_name is not None:  # a detector's im_shape
            self.choose("size")
        else:
            self.choose("random")
        self._on_kind()

    def choose(self, kind: str) -> None:
        """Show the source ``kind`` (one of :data:`SOURCES` that this input offers)."""
        self.kind.setCurrentIndex(max(self.kind.findData(kind), 0))

    def _browse(self, edit: QLineEdit, image: bool) -> None:
        pattern = (self.tr("Images ({0})").format(" ".join(f"*{e}" for e in IMAGE_EXTENSIONS)) if image
                   else self.tr("Arrays ({0})").format(" ".join(f"*{e}" for e in ARRAY_EXTENSIONS)))
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a file for {0}").format(self.spec.name),
                                              str(Path(edit.text()).parent) if edit.text() else "", pattern)
        if path:
            edit.setText(path)
            self.rebuild()
            self.file_chosen.emit(path)

    def _on_recipe_toggled(self, on: bool) -> None:
        self.recipe.setVisible(on)
        self.recipe_toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)

    def _on_kind(self) -> None:
        self.stack.setCurrentIndex(SOURCES.index(self.kind.currentData() or "random"))
        for i in range(self.stack.count()):  # the stack takes the current page's height, not the tallest one's
            policy = QSizePolicy.Policy.Preferred if i == self.stack.currentIndex() else QSizePolicy.Policy.Ignored
            self.stack.widget(i).setSizePolicy(policy, policy)
        self.stack.adjustSize()
        self.schedule()

    # -- drop ---------------------------------------------------------------------------------------------
    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if len(urls) != 1 or not urls[0].isLocalFile():
            return None
        p = Path(urls[0].toLocalFile())
        return p if p.suffix.lower() in IMAGE_EXTENSIONS + ARRAY_EXTENSIONS or p.is_dir() else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event)
        if path is None:
            event.ignore()
            return
        self.set_file(path)
        self.file_chosen.emit(str(path))
        event.acceptProposedAction()

    def set_file(self, path: str | Path) -> None:
        """Use an image (or folder of images) or an array file as this input's source."""
        p = Path(path)
        if p.suffix.lower() in ARRAY_EXTENSIONS:
            self.array_path.setText(str(p))
            self.choose("array")
        else:
            self.image_path.setText(str(p))
            self.choose("image")
        self.rebuild()

    # -- values -------------------------------------------------------------------------------------------
    def schedule(self) -> None:
        self._timer.start()

    def source(self) -> Source:
        kind = self.kind.currentData()
        if kind == "image":
            # An input that does not look like an image gets a recipe only once the user opens the editor:
            # otherwise the core says what is wrong instead of producing a tensor of the wrong type.
            use_recipe = self._image_like or self.recipe_toggle.isChecked()
            return ImageSource(self.image_path.text().strip(), self.recipe.recipe() if use_recipe else None)
        if kind == "array":  # FILE.npz:KEY or FILE.csv:COLUMN as on the command line
            text = self.array_path.text().strip()
            keyed = split_key(text) if not Path(text).is_file() else None
            if keyed:
                return ArrayFileSource(*keyed)
            return ArrayFileSource(text, normalize=self.normalize_waves and text.lower().endswith(".wav"))
        if kind == "random":
            def num(e: QLineEdit) -> float | None:
                t = e.text().strip()
                try:
                    return float(t) if t else None
                except ValueError:
                    raise InputError(f"input {self.spec.name!r}: {t!r} is not a number") from None
            return RandomSource(self.seed.value(), self.distribution.currentText(), num(self.low), num(self.high))
        if kind == "constant":
            return ConstantSource(self.constant.value())
        if kind == "positions":
            return PositionsSource(self.positions_start)
        if kind == "size":
            return SizeSource(self.picture_name, self.size_hw)
        if kind == "text":
            return TextSource(self.text.text(), self.tokenizer, pair=self.answers)
        return LiteralSource(self.literal.text())

    def brings_shape(self) -> bool:
        """Whether the chosen source brings its own shape (a picture, a file, a literal): see core's
        :func:`~onnxstudio.core.inputs.decides_shape`."""
        return self.kind.currentData() in ("image", "array", "literal", "text")

    def use_constant(self, value: float) -> None:
        """Feed ``value`` everywhere (built at once)."""
        for w in (self.kind, self.constant):
            w.blockSignals(True)
        self.constant.setValue(value)
        self.choose("constant")
        for w in (self.kind, self.constant):
            w.blockSignals(False)
        self._on_kind()
        self.rebuild()

    def follow_start(self, start: int) -> None:
        """Positions start after a cache of ``start`` tokens (a Positions source counts from there)."""
        if start != self.positions_start:
            self.positions_start = start
            if self.kind.currentData() == "positions":
                self.rebuild()

    def follow_size(self, hw: tuple[int, int]) -> None:
        """The picture's height and width as it is now fed (a Picture size source holds them)."""
        if hw != self.size_hw:
            self.size_hw = hw
            self.size_page.setText(self.tr("The height and width of {0} as it is fed ({1} x {2}), a row for each "
                                           "picture: it follows the picture").format(self.picture_name, *hw))
            if self.kind.currentData() == "size":
                self.rebuild()

    def set_dims(self, dims: dict[str, int]) -> None:
        self.dims = dict(dims)
        self.schedule()

    def rebuild(self) -> None:
        """Build the array now (preview, statistics, validation); errors go next to the input."""
        self._timer.stop()
        try:
            source = self.source()
            if isinstance(source, (ImageSource, ArrayFileSource)) and not source.path:
                raise InputError(self.tr("choose a file (or drop one here)"))
            notes: list[str] = []
            each = one_at_a_time([self.spec], {self.spec.name: source})
            self.each_files = [str(f) for f in each[1]] if each else []
            if each:  # a folder for a model that takes one picture a run: Run runs each; shown: the first
                source = dataclasses.replace(source, path=self.each_files[0])  # type: ignore[type-var]
                notes.append(self.tr("input: {0} pictures, one a run (shown: the first)").format(len(each[1])))
            feeds = {self.spec.name: feed_value(self.spec, source, self.dims, notes)}
            validate_feeds([self.spec], feeds, notes)  # float64 data for a float32 input: converted
        except StudioError as exc:
            self._set_result(None, exc.message)
        except Exception as exc:  # a bad file Pillow/numpy reject in an unexpected way
            self._set_result(None, f"{type(exc).__name__}: {exc}")
        else:
            self._set_result(feeds[self.spec.name], "", notes)
        self.changed.emit()

    def picture_of(self, path: str) -> np.ndarray | None:
        """Another picture (one of a folder's) as this input feeds it, for drawing on: None if it cannot be made."""
        try:
            source = dataclasses.replace(self.source(), path=path)  # type: ignore[type-var]
            return self._shown(feed_value(self.spec, source, self.dims))
        except (StudioError, ValueError, TypeError):
            return None

    def picture(self) -> np.ndarray | None:
        """The fed tensor as the picture it shows, in RGB (a BGR recipe's channels put back), for the preview and
        for drawing boxes on; None when the source is not an image."""
        if self.kind.currentData() != "image" or not isinstance(self.value, np.ndarray):
            return None
        return self._shown(self.value)

    def show_fed(self, fed: np.ndarray | None, note: str = "") -> None:
        """Say what a run feeds where another input completes this one's value (an attention mask 0 over a
        batch of texts' padding, a question's and its context's token types); None: its own value."""
        if not isinstance(self.value, np.ndarray) or self.error:
            return
        shown = self.value if fed is None else fed
        self.info.setText("; ".join([*self._notes, *([note] if fed is not None and note else []),
                                     output_stats(shown).summary()]))

    def _shown(self, value: np.ndarray) -> np.ndarray | None:
        if value.ndim == 5 and self._image_like:  # a clip: its first frame
            layout = self.recipe.recipe().layout
            value = value[0][:, 0] if layout == "NCTHW" else value[0, 0] if layout == "NTCHW" else value
        try:
            image = to_image(value)
        except ValueError:
            return None
        if image.ndim == 3 and image.shape[2] >= 3 and self._image_like and self.recipe.recipe().color == "BGR":
            image = np.ascontiguousarray(image[:, :, [2, 1, 0, *range(3, image.shape[2])]])
        return image

    def _set_result(self, value: Any, error: str, notes: list[str] | None = None) -> None:
        self.value = value
        self.error = error
        self.error_label.setText(error)
        self.error_label.setVisible(bool(error))
        if value is None or not isinstance(value, np.ndarray):
            self.preview.clear()
            self.preview.setVisible(False)
            self.info.setText("" if value is None else _describe_items(value))
            return
        self._notes = [n.split(": ", 1)[-1] for n in notes or []]  # "float64 data converted to float32"
        self.info.setText("; ".join([*self._notes, output_stats(value).summary()]))
        pix = None
        picture = self.picture()
        if picture is not None:
            pix = to_pixmap(picture, max_side=220, min_side=96)
        self.preview.setVisible(pix is not None)
        if pix is not None:
            self.preview.setPixmap(pix)
