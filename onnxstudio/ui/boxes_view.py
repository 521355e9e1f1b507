"""A detector's output as boxes on the picture it was given (with their masks or keypoints where the model
gives them), with a score threshold and a list."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from onnxstudio.core import detections as det
from onnxstudio.core import outputs as out
from onnxstudio.core import poses, regions
from onnxstudio.core.box_outputs import SplitHead, split_detections, split_keypoints, split_mask_owners
from onnxstudio.ui.qimage import FitLabel, to_pixmap

DISPLAY_SIDE = 720  # pixels: the picture is drawn at this size (boxes stay sharp on a 320 px input)


class BoxesView(QWidget):
    START_THRESHOLD = 0.25  # Ultralytics' default confidence

    def __init__(self, value: np.ndarray, labels: list[str], input_image: np.ndarray | None,
                 parent: QWidget | None = None, protos: np.ndarray | None = None,
                 split: tuple[SplitHead, dict[str, np.ndarray]] | None = None, pose: np.ndarray | None = None
                 ) -> None:
        """``protos``: a -seg model's prototype masks (:func:`detections.mask_protos`), to draw each box's mask;
        ``split``: a detector whose boxes, scores and classes are outputs of their own, and the run's outputs;
        ``pose``: a MoveNet output's people (:func:`poses.movenet`)."""
        super().__init__(parent)
        self.value = det.canonical(value)  # a YOLOv8 head written anchors first, as Ultralytics writes it
        self.split = split
        self.pose = pose
        self.keypoint_floor = 0.3 if pose is not None else 0.5  # MoveNet's demos draw keypoints over 0.3
        self.protos = protos
        self.owners: np.ndarray | None = None  # per input pixel, the detection whose mask covers it
        self.points: list[np.ndarray] = []  # a -pose model's keypoints per detection: [k, 3] x, y, visibility
        self.labels = labels
        self.input_image = input_image
        self.found: list[det.Detection] = []
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(0.01, 0.99)
        self.threshold.setSingleStep(0.05)
        self.threshold.setValue(self.START_THRESHOLD)
        self.threshold.setPrefix(self.tr("score ≥ "))
        self.threshold.setToolTip(self.tr("Boxes scoring below this are hidden; overlapping boxes of one class "
                                          "are merged (IoU 0.45)"))
        self.threshold.valueChanged.connect(self._fill)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.picture = FitLabel()
        self.picture.setMinimumSize(200, 200)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("Class"), self.tr("Score"), self.tr("Box (x0, y0, x1, y1)")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 150)
        self.table.setColumnWidth(1, 56)
        bar = QHBoxLayout()
        bar.addWidget(self.threshold)
        bar.addWidget(self.summary, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.picture)
        split.addWidget(self.table)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([640, 420])
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(split, 1)
        self._fill()

    def set_labels(self, labels: list[str]) -> None:
        self.labels = labels
        self._fill()

    def _find(self) -> str:
        """Fill ``found`` (and masks or keypoints) at the threshold; the summary line."""
        size = self.input_image.shape[:2] if self.input_image is not None else (640, 640)  # else the grey canvas
        if self.pose is not None:
            self.found, self.points = poses.people(self.pose, size, self.threshold.value())
            self.owners = None
            return self.tr("People: {0} (MoveNet; keypoints scoring {1} or more drawn; coordinates in the model "
                           "input's pixels)").format(len(self.found), self.keypoint_floor)
        if self.split is not None:
            head, tensors = self.split
            self.found = split_detections(head, tensors, size, self.labels, self.threshold.value())
            self.points = split_keypoints(head, tensors, self.found, size)
            self.owners = split_mask_owners(head, tensors, self.found, size) if self.input_image is not None else None
            return self.tr("Boxes: {0} ({1}; coordinates in the model input's pixels)").format(
                len(self.found), head.describe())
        self.found = det.detections(self.value, self.labels, self.threshold.value())
        kind = det.layout(np.shape(self.value))
        head = {"v8": "YOLOv8", "v5": "YOLOv5", "yolox": "YOLOX"}.get(kind or "", "YOLO end-to-end")
        self.owners = None
        self.points = det.keypoints(self.value, self.found) if self.protos is None else []
        if self.points:
            head = self.tr("{0} pose").format(head)
        if any(d.angle is not None for d in self.found):
            head = self.tr("{0} oriented boxes").format(head)
        if self.protos is not None and self.input_image is not None:
            self.owners = det.mask_owners(self.value, self.protos, self.found, self.input_image.shape[:2])
            head = self.tr("{0} segmentation").format(head)
        return self.tr("Boxes: {0} ({1} output; coordinates in the model input's pixels)").format(
            len(self.found), head)

    def _fill(self) -> None:
        self.summary.setText(self._find())
        self.table.setRowCount(len(self.found))
        for row, d in enumerate(self.found):
            label = out.shown_label(d.label)
            self.table.setItem(row, 0, QTableWidgetItem(label if label == str(d.index) else f"{label}  ({d.index})"))
            self.table.setItem(row, 1, QTableWidgetItem(f"{d.score:.3f}"))
            turned = f"  ⟳ {math.degrees(d.angle):.0f}°" if d.angle is not None else ""
            self.table.setItem(row, 2, QTableWidgetItem(", ".join(f"{v:.0f}" for v in d.box) + turned))
        self._draw()

    def _draw(self) -> None:
        if self.input_image is not None:
            base = self.input_image
        else:  # no picture (random input): the boxes on grey, over the area they span
            far = max([640.0] + [max(d.box[2], d.box[3]) for d in self.found])
            base = np.full((int(min(far, 4096)), int(min(far, 4096))), 96, np.uint8)
        h, w = base.shape[:2]
        scale = DISPLAY_SIDE / max(h, w)
        palette = out.class_palette(max([d.index for d in self.found] + [1]) + 2)
        if self.owners is not None and self.owners.shape == (h, w):  # each mask in its class colour, see-through
            classes = np.array([d.index + 1 for d in self.found] + [0], np.intp)  # owner -1 -> the last entry
            colours = palette[classes[self.owners]].astype(np.float32)
            rgb = base if base.ndim == 3 else np.repeat(base[:, :, None], 3, axis=2)
            covered = (self.owners >= 0)[:, :, None]
            base = np.where(covered, rgb[:, :, :3] * 0.55 + colours * 0.45, rgb[:, :, :3]).astype(np.uint8)
        pix = to_pixmap(base)
        pix = pix.scaled(round(w * scale), round(h * scale), Qt.AspectRatioMode.KeepAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)
        painter = QPainter(pix)
        font = QFont(painter.font())
        font.setPointSize(10)
        painter.setFont(font)
        for i, d in reversed(list(enumerate(self.found))):  # the best drawn last, on top
            r, g, b = (int(c) for c in palette[d.index + 1])  # palette 0 is black
            colour = QColor(r, g, b)
            if i < len(self.points):
                self._draw_keypoints(painter, self.points[i] * [scale, scale, 1])
            x0, y0, x1, y1 = (v * scale for v in d.box)
            painter.setPen(QPen(colour, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            if d.angle is not None:  # an -obb model's rotated box; its label at its highest corner
                corners = d.corners() * scale
                painter.drawPolygon(QPolygonF([QPointF(x, y) for x, y in corners]))
                x0, y0 = corners[np.argmin(corners[:, 1])]
            else:
                painter.drawRect(QRectF(x0, y0, x1 - x0, y1 - y0))
            text = f"{out.shown_label(d.label)} {d.score:.2f}"
            box = painter.fontMetrics().boundingRect(text).adjusted(-3, -1, 3, 1)
            box.moveTo(round(x0), max(0, round(y0) - box.height()))
            painter.fillRect(box, colour)
            painter.setPen(QColor(0, 0, 0) if r * 0.3 + g * 0.59 + b * 0.11 > 140 else QColor(255, 255, 255))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        painter.end()
        self.picture.setPixmap(pix)

    def _draw_keypoints(self, painter: QPainter, points: np.ndarray) -> None:
        """Keypoints seen (visibility over ``keypoint_floor``) as dots; for COCO's 17, the skeleton between them."""
        seen = points[:, 2] > self.keypoint_floor
        painter.setPen(QPen(QColor(255, 255, 255), 2))
        if len(points) == 17:
            for a, b in det.COCO_SKELETON:
                if seen[a] and seen[b]:
                    painter.drawLine(QPointF(*points[a, :2]), QPointF(*points[b, :2]))
        painter.setPen(QPen(QColor(0, 0, 0), 1))
        painter.setBrush(QColor(255, 200, 0))
        for x, y, _ in points[seen]:
            painter.drawEllipse(QPointF(x, y), 3.5, 3.5)


class RegionsView(BoxesView):
    """A probability map's regions (a DB text detector's lines: PaddleOCR, RapidOCR) as boxes on the picture: the
    threshold binarizes the map; regions scoring under 0.5 are dropped, the rest grown as DB's pipeline does."""

    START_THRESHOLD = 0.3  # DB's binarization threshold (PaddleOCR's det_db_thresh)

    def __init__(self, value: np.ndarray, input_image: np.ndarray | None, parent: QWidget | None = None) -> None:
        self.plane = regions.probability_map(value)
        super().__init__(value, [], input_image, parent)  # found at START_THRESHOLD; only the words change here
        self.threshold.setPrefix(self.tr("map > "))
        self.threshold.setToolTip(self.tr("Pixels over this probability form regions; a region's score is its mean "
                                          "probability (0.5 or more is kept)"))
        self.table.horizontalHeaderItem(0).setText(self.tr("Region"))

    def _find(self) -> str:
        found = regions.regions(self.plane, self.threshold.value()) if self.plane is not None else []
        self.owners, self.points = None, []
        if found is None:
            self.found = []
            return self.tr("Too many small regions to list: this map looks like noise at this threshold.")
        sy, sx = (1.0, 1.0) if self.input_image is None or self.plane is None else \
            (self.input_image.shape[0] / self.plane.shape[0], self.input_image.shape[1] / self.plane.shape[1])
        self.found = [det.Detection((r.box[0] * sx, r.box[1] * sy, r.box[2] * sx, r.box[3] * sy), i + 1, str(i + 1),
                                    r.score) for i, r in enumerate(found)]  # numbered; on the picture's pixels
        return self.tr("Regions: {0} (areas over the threshold, boxes grown as text detectors do; coordinates in "
                       "the model input's pixels)").format(len(self.found))
