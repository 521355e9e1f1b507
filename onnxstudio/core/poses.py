"""People's keypoints from MoveNet (TensorFlow Hub's pose models, as converted to ONNX): COCO's 17 keypoints as
y, x, score in 0-1 of the picture. Qt-free.

- single pose (Lightning, Thunder): [1, 1, 17, 3];
- multi pose: [1, 6, 56] — per person 17 x (y, x, score), then the box (ymin, xmin, ymax, xmax) and its score.

(Ultralytics' -pose heads are read with the boxes: :func:`detections.keypoints`.)
"""

from __future__ import annotations

import numpy as np

from onnxstudio.core.detections import Detection
from onnxstudio.core.outputs import as_plain

KEYPOINTS = 17  # COCO's: nose, eyes, ears, shoulders, elbows, wrists, hips, knees, ankles


def _unit(a: np.ndarray) -> bool:
    return bool(a.size and np.isfinite(a).all() and a.min() >= -0.01 and a.max() <= 1.01)


def movenet(value: np.ndarray) -> np.ndarray | None:
    """[people, 56] rows of a MoveNet output (single pose: one row, no box), or None for another tensor."""
    arr = as_plain(np.asarray(value))
    if arr.dtype.kind != "f":
        return None
    if arr.shape == (1, 1, KEYPOINTS, 3) and _unit(arr):
        row = np.zeros((1, 56), np.float64)
        row[0, :51] = arr.reshape(-1)
        row[0, 55] = float(arr[0, 0, :, 2].mean())  # a single pose's score: its keypoints' mean
        return row
    if arr.ndim == 3 and arr.shape[0] == 1 and arr.shape[2] == 56 and 1 <= arr.shape[1] <= 100 and _unit(arr[0]):
        return arr[0].astype(np.float64)
    return None


def people(rows: np.ndarray, size: tuple[int, int], threshold: float = 0.25
           ) -> tuple[list[Detection], list[np.ndarray]]:
    """The people scoring at least ``threshold``, best first: their boxes (a single pose's: around its keypoints
    over ``threshold``) and keypoints [17, 3] as x, y, score in the pixels of a picture of ``size`` (h, w)."""
    h, w = size
    found: list[Detection] = []
    points: list[np.ndarray] = []
    for row in rows[np.argsort(-rows[:, 55], kind="stable")]:
        if row[55] < threshold:
            continue
        yxs = row[:51].reshape(KEYPOINTS, 3)
        xy = np.stack([yxs[:, 1] * w, yxs[:, 0] * h, yxs[:, 2]], axis=1)
        box = row[51:55]
        if box.any():
            x0, y0, x1, y1 = box[1] * w, box[0] * h, box[3] * w, box[2] * h
        else:
            sure = xy[:, 2] >= threshold
            seen = xy[sure] if sure.any() else xy
            x0, y0, x1, y1 = seen[:, 0].min(), seen[:, 1].min(), seen[:, 0].max(), seen[:, 1].max()
        found.append(Detection((float(x0), float(y0), float(x1), float(y1)), 0, "person", float(row[55])))
        points.append(xy)
    return found, points
