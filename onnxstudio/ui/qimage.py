"""numpy uint8 images -> QImage / QPixmap (copies, so the array may go away)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


def to_qimage(img: np.ndarray) -> QImage:
    """HxW (grey), HxWx3 (RGB) or HxWx4 (RGBA) uint8."""
    a = np.ascontiguousarray(img, dtype=np.uint8)
    h, w = a.shape[:2]
    if a.ndim == 2:
        fmt, stride = QImage.Format.Format_Grayscale8, w
    elif a.shape[2] == 3:
        fmt, stride = QImage.Format.Format_RGB888, 3 * w
    else:
        fmt, stride = QImage.Format.Format_RGBA8888, 4 * w
    return QImage(a.data, w, h, stride, fmt).copy()


def to_pixmap(img: np.ndarray, max_side: int = 0, min_side: int = 0) -> QPixmap:
    """Scaled to fit ``max_side``; small images (e.g. 8x8) are enlarged to ``min_side`` without smoothing."""
    pix = QPixmap.fromImage(to_qimage(img))
    side = max(pix.width(), pix.height())
    if max_side and side > max_side:
        return pix.scaled(max_side, max_side, Qt.AspectRatioMode.KeepAspectRatio,
                          Qt.TransformationMode.SmoothTransformation)
    if min_side and side < min_side:
        return pix.scaled(min_side, min_side, Qt.AspectRatioMode.KeepAspectRatio,
                          Qt.TransformationMode.FastTransformation)
    return pix


class FitLabel(QLabel):
    """A picture that shrinks to the space it is given (keeping its aspect ratio) instead of being cut: a 720 px
    picture in a 570 px wide pane lost both sides and, with them, the boxes drawn there."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source = QPixmap()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    def setPixmap(self, pixmap: QPixmap) -> None:
        self._source = pixmap
        self._fit()

    def source(self) -> QPixmap:
        """The picture at its own size (``pixmap()`` is what fits the label now)."""
        return self._source

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        pix = self._source
        if not pix.isNull() and (pix.width() > self.width() or pix.height() > self.height()) and \
                self.width() > 1 and self.height() > 1:
            pix = pix.scaled(self.width(), self.height(), Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
        super().setPixmap(pix)
