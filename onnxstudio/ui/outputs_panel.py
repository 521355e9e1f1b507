"""Results of a run: per output its statistics, the views its shape suggests, and save as .npy or .csv."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from onnxstudio.core import class_rows, detections, poses, regions
from onnxstudio.core import outputs as out
from onnxstudio.core.box_outputs import SplitHead, find_split_head
from onnxstudio.core.each import pick
from onnxstudio.core.engine import OutputValue, RunResult
from onnxstudio.core.tables import write_table
from onnxstudio.ui.boxes_view import BoxesView, RegionsView
from onnxstudio.ui.icons import icon
from onnxstudio.ui.output_views import (
    ImageOutputView,
    NearestView,
    RowsView,
    TableOutputView,
    TopKView,
    channels_view,
    heatmap_view,
)
from onnxstudio.ui.vector_view import VectorView

_NEAREST = "nearest"  # distances ranked lowest first (a view of the panel's: it needs the run's other outputs)


class OutputsPanel(QWidget):
    unwatch_requested = Signal()  # the user stops showing tensors inside the model

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: RunResult | None = None
        self.labels: list[str] = []
        self.named_by_texts = False  # the batch's rows are texts (which may name another output's classes)
        self.notes: dict[str, str] = {}  # output name -> what the run says of it (a QA head's answer), in its header
        self.input_image: np.ndarray | None = None
        self.batch_names: list[str] = []
        self._split: tuple[RunResult, SplitHead | None] | None = None  # the result's split detector, found once
        self.last_run: dict[str, np.ndarray] = {}  # the previous run's outputs by name, for an embedding's similarity
        self.inside: dict[str, str] = {}  # tensors inside the model shown as outputs -> the node making each
        self.list = QListWidget()
        self.list.setMaximumWidth(320)
        self.list.setMinimumWidth(190)
        self.list.currentRowChanged.connect(self._show)
        self.header = QLabel(self.tr("Run the model to see its outputs."))
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.header.setObjectName("outputStats")
        self.views = QTabWidget()
        self.save_button = QPushButton(icon("save"), self.tr("Save…"))
        self.save_button.setToolTip(self.tr("Save this output as a NumPy array (.npy) or a table (.csv)"))
        self.save_button.clicked.connect(self._save)
        self.labels_button = QPushButton(self.tr("Labels file…"))
        self.labels_button.setToolTip(self.tr("Class names for top-k: a JSON list or one label per line"))
        self.labels_button.clicked.connect(self._pick_labels)
        for b in (self.save_button, self.labels_button):
            b.setEnabled(False)
        self.picture = QComboBox()  # a folder run one picture at a time: all of them, or one
        self.picture.setToolTip(self.tr("The outputs of all the pictures (a row each), or of one, on that picture"))
        self.picture.setVisible(False)
        self.picture.currentIndexChanged.connect(self._on_picture)
        self._pictures: list[str] = []
        self._loader: Callable[[int], np.ndarray | None] | None = None
        self._stacked: tuple[RunResult | None, np.ndarray | None, list[str]] = (None, None, [])
        bar = QHBoxLayout()
        bar.addWidget(self.picture)
        bar.addWidget(self.header, 1)
        bar.addWidget(self.labels_button)
        bar.addWidget(self.save_button)
        self.watching = QLabel()  # tensors inside the model that each run shows too
        self.watching.setWordWrap(True)
        self.unwatch = QToolButton(text=self.tr("Stop showing them"))
        self.unwatch.setToolTip(self.tr("Run the model as it is again, with its own outputs only"))
        self.unwatch.clicked.connect(self.unwatch_requested)
        watch_bar = QWidget()
        wl = QHBoxLayout(watch_bar)
        wl.setContentsMargins(0, 0, 0, 0)
        wl.addWidget(self.watching, 1)
        wl.addWidget(self.unwatch)
        watch_bar.setVisible(False)
        self.watch_bar = watch_bar
        self.check = QLabel()  # how the outputs compare with reference data, where the inputs came from it
        self.check.setWordWrap(True)
        self.check.setVisible(False)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addLayout(bar)
        rl.addWidget(self.watch_bar)
        rl.addWidget(self.check)
        rl.addWidget(self.views, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.list)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([220, 800])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)

    def set_inside(self, inside: dict[str, str]) -> None:
        """The tensors inside the model that runs show as outputs (name -> the node making it, for its tooltip);
        marked in the list, and said above the views with a button to stop."""
        self.inside = dict(inside)
        self.watching.setText(self.tr("Shown with each run, from inside the model (▸): {0}").format(
            ", ".join(list(inside)[:4]) + (self.tr(" and {0} more").format(len(inside) - 4) if len(inside) > 4
                                           else "")))
        self.watch_bar.setVisible(bool(inside))
        if self.result is not None:
            self._mark_items()

    def _mark_items(self) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            o = self.result.outputs[i] if self.result is not None and i < len(self.result.outputs) else None
            if o is None:
                continue
            shape = list(o.shape) if o.shape is not None else "?"
            made = self.inside.get(o.name)
            item.setText(f"{'▸ ' if made is not None else ''}{o.name}\n{o.dtype} {shape}")
            item.setToolTip(self.tr("inside the model: {0}").format(made) if made is not None else o.kind)

    def set_check(self, text: str, ok: bool) -> None:
        """A line above the views: the outputs against reference data (green when they match); "" hides it."""
        self.check.setText(("✓ " if ok else "✗ ") + text if text else "")
        self.check.setStyleSheet(f"color: {'#2e8b57' if ok else '#d64545'};")
        self.check.setVisible(bool(text))

    def clear(self) -> None:
        self.result = None
        self.last_run = {}
        self._stacked = (None, None, [])
        self.set_pictures([], None)
        self.set_check("", True)
        self.list.clear()
        self._clear_views()
        self.header.setText(self.tr("Run the model to see its outputs."))
        for b in (self.save_button, self.labels_button):
            b.setEnabled(False)

    def set_labels(self, labels: list[str], source: Path | None = None) -> None:
        """``labels`` for the views; ``source``: the file they came from (picked, or found beside the model)."""
        self.labels = list(labels)
        hint = self.tr("Class names for top-k: a JSON list or one label per line")
        if source is None:
            self.labels_button.setText(self.tr("Labels file…"))
            self.labels_button.setToolTip(hint)
        else:
            self.labels_button.setText(self.tr("Labels: {0}…").format(source.name))
            self.labels_button.setToolTip(f"{source}\n{hint}")

    def set_result(self, result: RunResult, input_image: np.ndarray | None = None,
                   batch_names: list[str] | None = None, texts: bool = False) -> None:
        """Show ``result``; ``batch_names`` name the rows of outputs with one row per input image, or per text of
        a batch of texts (``texts``), which also name the classes of an output that scores each of them (CLIP's
        logits_per_image)."""
        self.named_by_texts = texts
        if self.result is not None:  # an embedding is compared with the last run's
            self.last_run = {o.name: o.value for o in self.result.outputs
                             if isinstance(o.value, np.ndarray) and o.value.size <= 1_000_000}
        self._stacked = (result, input_image, list(batch_names or []))
        self.set_pictures([], None)
        self._display(result, input_image, batch_names)

    def set_pictures(self, names: list[str], loader: Callable[[int], np.ndarray | None] | None) -> None:
        """The pictures a folder run fed one at a time (see core/each.py): a box to show one picture's outputs
        alone, drawn on that picture (``loader(i)``: picture ``i`` as the model saw it)."""
        self._pictures, self._loader = list(names), loader
        self.picture.blockSignals(True)
        self.picture.clear()
        if names:
            self.picture.addItem(self.tr("All {0} pictures").format(len(names)))
            self.picture.addItems(names)
        self.picture.blockSignals(False)
        self.picture.setVisible(bool(names))

    def _on_picture(self, index: int) -> None:
        result, image, names = self._stacked
        if result is None:
            return
        if index <= 0 or index > len(self._pictures):
            self._display(result, image, names)
            return
        i, n = index - 1, len(self._pictures)
        picture = self._loader(i) if self._loader is not None else None
        self._display(pick(result, i, n), picture, [self._pictures[i]])

    def _display(self, result: RunResult, input_image: np.ndarray | None,
                 batch_names: list[str] | None) -> None:
        self.result = result
        self.input_image = input_image
        self.batch_names = list(batch_names or [])
        row = self.list.currentRow()
        split = self._split_head()
        if row < 0 and split is not None:  # the first run: a detector opens on its boxes
            row = [o.name for o in result.outputs].index(split.boxes)
        elif row < 0:  # else on the first output there is more to see of than its values
            row = self._first_rich(result)
        row = max(0, row)
        self.list.blockSignals(True)
        self.list.clear()
        for _ in result.outputs:
            self.list.addItem(QListWidgetItem())
        self._mark_items()
        self.list.blockSignals(False)
        self.list.setCurrentRow(min(row, len(result.outputs) - 1))
        self._show(self.list.currentRow())

    def _first_rich(self, result: RunResult) -> int:
        """The first output with a view beyond its values (classes, boxes, a picture, a vector, distances): a
        scikit-learn classifier's probabilities after its label, k-means' distances after its cluster."""
        rich = {out.VIEW_TOPK, out.VIEW_ROWS, out.VIEW_BOXES, out.VIEW_IMAGE, out.VIEW_MASK, out.VIEW_VECTOR,
                out.VIEW_REGIONS}
        named = [(o.name, o.value) for o in result.outputs]
        for i, o in enumerate(result.outputs):
            if o.kind != "tensor" or not isinstance(o.value, np.ndarray):
                if class_rows.map_scores(o.value) is not None:
                    return i
                continue
            if class_rows.distance_rows(o.value, named) is not None or rich & set(
                    out.guess_views(o.value.shape, str(o.value.dtype), o.name)):
                return i
        return 0

    def current_output(self) -> OutputValue | None:
        row = self.list.currentRow()
        if self.result is None or not 0 <= row < len(self.result.outputs):
            return None
        return self.result.outputs[row]

    def _clear_views(self) -> None:
        while self.views.count():
            w = self.views.widget(0)
            self.views.removeTab(0)
            w.deleteLater()

    def _show(self, row: int) -> None:
        self._clear_views()
        o = self.current_output()
        if o is None:
            return
        is_tensor = o.kind == "tensor" and isinstance(o.value, np.ndarray)
        self.save_button.setEnabled(is_tensor)
        if not is_tensor:
            self.header.setText(f"{o.name}: {o.kind} {o.dtype}")
            mapped = class_rows.map_scores(o.value)
            if mapped is not None:  # ZipMap's {class: probability} per row: the rows' best classes, by name
                scores, classes = mapped
                self.header.setText(self.tr("<b>{0}</b>  {1}: {2} rows of {3} classes ({4})").format(
                    o.name, o.kind, scores.shape[0], scores.shape[1], ", ".join(classes[:6])
                    + (", …" if len(classes) > 6 else "")))
                if scores.shape[0] == 1:
                    self.views.addTab(TopKView(scores[0], classes), self.tr("Top-k"))
                else:
                    self.views.addTab(RowsView(scores, classes, self.batch_names), self.tr("By row"))
                self.views.addTab(TableOutputView(scores), self.tr("Values"))
            text = QPlainTextEdit(repr(o.value)[:200_000])
            text.setReadOnly(True)
            self.views.addTab(text, self.tr("Value"))
            self.labels_button.setEnabled(False)
            return
        value: np.ndarray = o.value
        note = f"<br>{html.escape(self.notes[o.name])}" if o.name in self.notes else ""
        self.header.setText(f"<b>{o.name}</b>  {out.output_stats(value).summary()}{note}")
        # a tensor inside the model is read by its shape only: its name (c0, /lstm/h) says nothing of a state
        kinds = out.guess_views(value.shape, str(value.dtype), "" if o.name in self.inside else o.name)
        split = self._split_head()
        if poses.movenet(value) is not None or (split is not None and o.name == split.boxes):
            # MoveNet's people, or a detector's boxes given apart from its scores and classes
            kinds = [out.VIEW_BOXES] + [k for k in kinds if k in (out.VIEW_HEATMAP, out.VIEW_TABLE)]
        elif split is not None and o.name in split.names:  # scores or classes of boxes: no classes, no picture
            kinds = [k for k in kinds if k in (out.VIEW_HEATMAP, out.VIEW_TABLE)]
        elif out.VIEW_BOXES in kinds and not detections.plausible(value):  # a [1, 100, 6] that is not boxes
            kinds.remove(out.VIEW_BOXES)
        if o.name in self.notes:  # a question-answering head: its scores rank the text's positions, not classes
            kinds = [k for k in kinds if k not in (out.VIEW_TOPK, out.VIEW_ROWS)]
        if out.VIEW_ROWS in kinds and value.ndim == 2 and 1 < value.shape[0] == len(self.batch_names):
            kinds.insert(0, kinds.pop(kinds.index(out.VIEW_ROWS)))  # rows named by their files or texts: a batch
        if out.VIEW_BOXES in kinds:  # a detector's head: its rows are anchors, not class scores or a picture
            kinds = [k for k in kinds if k not in (out.VIEW_ROWS, out.VIEW_IMAGE)]
        if out.VIEW_REGIONS in kinds and regions.probability_map(value) is None:  # not a map of 0-1 probabilities
            kinds.remove(out.VIEW_REGIONS)
        if o.name in self.inside:  # a tensor inside the model: its planes, never classes, boxes or a class map
            kinds = [k for k in kinds if k not in (out.VIEW_TOPK, out.VIEW_ROWS, out.VIEW_BOXES, out.VIEW_MASK)]
            if out.VIEW_CHANNELS in kinds:
                kinds.insert(0, kinds.pop(kinds.index(out.VIEW_CHANNELS)))
        distances = None if o.name in self.inside or self.result is None else class_rows.distance_rows(
            value, [(x.name, x.value) for x in self.result.outputs])
        if distances is not None:  # KMeans' scores: another output is their ArgMin, so the lowest is the best
            kinds = [_NEAREST] + [k for k in kinds if k not in (out.VIEW_TOPK, out.VIEW_ROWS)]
        self.labels_button.setEnabled(bool({out.VIEW_TOPK, out.VIEW_MASK, out.VIEW_ROWS, out.VIEW_BOXES, _NEAREST}
                                           & set(kinds)))
        for kind in kinds:
            try:
                widget, title = (NearestView(distances, self.labels, self.batch_names), self.tr("Nearest")) \
                    if kind == _NEAREST and distances is not None else self._view(kind, value)
            except Exception as exc:  # a view that cannot draw this tensor must not hide the others
                widget, title = QLabel(str(exc), wordWrap=True), kind
            self.views.addTab(widget, title)

    def _view(self, kind: str, value: np.ndarray) -> tuple[QWidget, str]:
        if kind == out.VIEW_TOPK:
            return TopKView(value, self._labels_for(value)), self.tr("Top-k")
        if kind == out.VIEW_BOXES and (people := poses.movenet(value)) is not None:
            return BoxesView(value, self.labels, self.input_image, pose=people), self.tr("People")
        if kind == out.VIEW_BOXES:
            named = {o.name: o.value for o in self.result.outputs if isinstance(o.value, np.ndarray)} \
                if self.result else {}
            split = self._split_head()
            if split is not None:
                return BoxesView(value, self.labels, self.input_image, split=(split, named)), self.tr("Boxes")
            head = detections.canonical(value)
            protos = detections.mask_protos(head, list(named.values()))
            return BoxesView(head, self.labels, self.input_image, protos=protos), self.tr("Boxes")
        if kind == out.VIEW_REGIONS:
            return RegionsView(value, self.input_image), self.tr("Regions")
        if kind == out.VIEW_VECTOR:
            o = self.current_output()
            return VectorView(value, self.last_run.get(o.name) if o else None, self.batch_names), self.tr("Vector")
        if kind == out.VIEW_ROWS:
            return RowsView(value, self._labels_for(value), self.batch_names), self.tr("By row")
        if kind == out.VIEW_IMAGE:
            return ImageOutputView(value, False, self.input_image, self.labels), self.tr("Image")
        if kind == out.VIEW_MASK:
            return ImageOutputView(value, True, self.input_image, self.labels), self.tr("Mask")
        if kind == out.VIEW_HEATMAP:
            return heatmap_view(value), self.tr("Heatmap")
        if kind == out.VIEW_CHANNELS:
            return channels_view(value), self.tr("Channels")
        return TableOutputView(value), self.tr("Values")

    def _labels_for(self, value: np.ndarray) -> list[str]:
        """The class names of ``value``: the batch's texts where it scores each of them, else the model's."""
        if self.named_by_texts and class_rows.scores_each_text(value.shape, len(self.batch_names)):
            return self.batch_names
        return self.labels

    def _split_head(self) -> SplitHead | None:
        """The run's detector whose boxes, scores and classes are outputs of their own (torchvision, TF, DETR)."""
        if self.result is None:
            return None
        if self._split is None or self._split[0] is not self.result:
            self._split = (self.result, find_split_head([(o.name, o.value) for o in self.result.outputs]))
        return self._split[1]

    def view_titles(self) -> list[str]:
        return [self.views.tabText(i) for i in range(self.views.count())]

    def _save(self) -> None:
        o = self.current_output()
        if o is None:
            return
        npy, table = self.tr("NumPy arrays (*.npy)"), self.tr("CSV tables (*.csv)")
        path, chosen = QFileDialog.getSaveFileName(self, self.tr("Save output"), f"{o.name}.npy",
                                                   f"{npy};;{table}")
        if not path:
            return
        if chosen == table and Path(path).suffix.lower() != ".csv":
            path = str(Path(path).with_suffix(".csv"))
        try:
            self.save_output(path)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Save output"), self.tr("Cannot write {0}: {1}").format(
                Path(path).name, exc.strerror or exc))

    def save_output(self, path: str) -> None:
        """The selected output as a ``.csv`` table (by the name's suffix) or a ``.npy`` array (bfloat16/float8
        as float32; text as a fixed-width string array, which loads without pickle)."""
        o = self.current_output()
        if o is None:
            return
        value = out.as_plain(np.asarray(o.value))
        if Path(path).suffix.lower() == ".csv":
            write_table(path, value)
            return
        if value.dtype == object:
            value = np.asarray([v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
                                for v in value.ravel()]).reshape(value.shape)
        np.save(path, value, allow_pickle=False)

    def _pick_labels(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Labels file"), "",
                                              self.tr("Labels (*.txt *.json *.names);;All files (*)"))
        if not path:
            return
        try:
            labels = out.load_labels_file(path)
        except OSError as exc:  # unreadable: say so, keep the labels in use
            QMessageBox.warning(self, self.tr("Labels file"), self.tr("Cannot read {0}: {1}").format(
                Path(path).name, exc.strerror or exc))
            return
        self.set_labels(labels, Path(path))
        self._show(self.list.currentRow())

    def view_widget(self, title: str) -> Any:
        for i in range(self.views.count()):
            if self.views.tabText(i) == title:
                return self.views.widget(i)
        return None
