"""numpy uint8 images -> QImage / QPixmap (copies, so the array may go away)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap


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
